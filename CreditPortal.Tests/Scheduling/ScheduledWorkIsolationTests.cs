using CreditPortal.Ledger;
using CreditPortal.Orders;
using CreditPortal.Data;
using CreditPortal.Scheduling;
using CreditPortal.Support;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Scheduling;

/// <summary>
/// One account whose scheduled events fail is set aside with backoff while every other account's expiries and
/// top-ups go on; a payment provider outage during order recovery stops nothing else. Each ends with the ledger
/// check at 0 differences.
/// </summary>
public sealed class ScheduledWorkIsolationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = Start.AddDays(2);

    /// <summary>Every ledger write of the account fails from now on, as a constraint the data breaks would.</summary>
    private static void Poison(LedgerHarness h, long accountId)
        => Execute(h, $"CREATE TRIGGER poison_{accountId} BEFORE INSERT ON LedgerEntries WHEN NEW.AccountId = {accountId} " +
                      "BEGIN SELECT RAISE(ABORT, 'poisoned account'); END;");

    private static void Cure(LedgerHarness h, long accountId) => Execute(h, $"DROP TRIGGER poison_{accountId};");

    private static void Execute(LedgerHarness h, string sql)
    {
        using var connection = new SqliteConnection(h.Database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Expiries the ledger booked (the wallet's read side already hides a lot past its expiry instant).</summary>
    private static async Task<int> ExpiriesAsync(LedgerHarness h, long accountId)
    {
        await using var db = h.Db();
        return await db.LedgerEntries.CountAsync(e => e.AccountId == accountId && e.Kind == LedgerEntryKind.Expiry);
    }

    private static async Task<long> AccountWithExpiringLotAsync(LedgerHarness h, string name)
    {
        var id = await h.CreateAccountAsync(name);
        await h.GrantAsync(id, 100, Expiry);
        await h.GrantAsync(id, 7);
        return id;
    }

    [Fact]
    public async Task A_poison_account_is_set_aside_with_backoff_while_healthy_accounts_expire_and_it_catches_up_once_cured()
    {
        await using var h = LedgerHarness.Start(Start);
        var healthy = new List<long>();
        for (var i = 0; i < 3; i++) healthy.Add(await AccountWithExpiringLotAsync(h, $"Healthy {i}"));
        var poison = await AccountWithExpiringLotAsync(h, "Poison");
        healthy.Add(await AccountWithExpiringLotAsync(h, "Healthy after"));
        Poison(h, poison);
        var setAside = h.Services.GetRequiredService<SetAsideWork>();

        await h.AdvanceToAsync(Expiry.AddHours(1));

        foreach (var id in healthy) Assert.Equal(1, await ExpiriesAsync(h, id));
        Assert.Equal(0, await ExpiriesAsync(h, poison));
        var entry = Assert.Single(setAside.Current);
        Assert.Equal(("ledger events", (long?)poison, 1), (entry.Kind, entry.AccountId, entry.Failures));
        Assert.Equal(h.Clock.GetUtcNow().AddMinutes(1), entry.RetryAt);
        Assert.Contains("poisoned account", entry.Error);
        // The account does not keep the scheduler busy: nothing is due before its retry.
        Assert.Equal(entry.RetryAt, await h.Scheduler.NextDueAsync(default));

        // Still poisoned at the retry: the wait doubles.
        await h.AdvanceToAsync(entry.RetryAt);
        entry = Assert.Single(setAside.Current);
        Assert.Equal((2, h.Clock.GetUtcNow().AddMinutes(2)), (entry.Failures, entry.RetryAt));

        // A healthy account's later events are not held up by the waiting one.
        var later = await h.CreateAccountAsync("Later");
        await h.GrantAsync(later, 7);
        await h.GrantAsync(later, 5, h.Clock.GetUtcNow().AddSeconds(30));
        await h.AdvanceAsync(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await ExpiriesAsync(h, later));
        Assert.Equal(0, await ExpiriesAsync(h, poison));

        // Support sees it on the dashboard, fixes the cause and tries again at once instead of waiting.
        var dashboard = new SetAsideAccounts(setAside, h.Scheduler, h.Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>());
        var shown = Assert.Single(await dashboard.ListAsync());
        Assert.Equal(("ledger events", (long?)poison, "Poison", 2), (shown.Kind, shown.AccountId, shown.AccountName, shown.Failures));
        Cure(h, poison);
        dashboard.RetryNow(shown.Kind, shown.AccountId);
        Assert.True(h.Clock.GetUtcNow() < entry.RetryAt);
        await h.Scheduler.RunDueAsync();
        Assert.Equal(1, await ExpiriesAsync(h, poison));
        Assert.Equal(7, (await h.WalletAsync(poison)).Total);
        Assert.Empty(setAside.Current);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Backoff_doubles_up_to_its_limit()
    {
        await using var h = LedgerHarness.Start(Start);
        var poison = await AccountWithExpiringLotAsync(h, "Poison");
        Poison(h, poison);
        var setAside = h.Services.GetRequiredService<SetAsideWork>();

        await h.AdvanceToAsync(Expiry);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            var entry = Assert.Single(setAside.Current);
            waits.Add(entry.RetryAt - h.Clock.GetUtcNow());
            await h.AdvanceToAsync(entry.RetryAt);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], waits.Select(w => w.TotalMinutes));
        Assert.Equal(10, Assert.Single(setAside.Current).Failures);
        Cure(h, poison);
        await h.AdvanceToAsync(setAside.Current[0].RetryAt);
        Assert.Empty(setAside.Current);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_payment_provider_outage_during_order_recovery_stops_no_expiry_and_the_order_is_booked_once_it_is_back()
    {
        var provider = new SwitchablePaymentProvider();
        await using var h = LedgerHarness.Start(Start, payments: _ => provider);
        var buyer = await h.CreateAccountAsync("Buyer");
        var other = await AccountWithExpiringLotAsync(h, "Other");
        var recovery = h.Services.GetRequiredService<PendingOrderRecovery>();
        var setAside = h.Services.GetRequiredService<SetAsideWork>();

        // The provider times out while paying: the order stays Pending (stranded), nothing is granted.
        provider.Down = true;
        await Assert.ThrowsAsync<TimeoutException>(() => h.BuyAsync(buyer, "email-5000", key: "buy-1"));
        await using (var db = h.Db()) Assert.Equal(OrderStatus.Pending, (await db.Orders.SingleAsync()).Status);

        Assert.Equal(0, await recovery.RecoverAsync());
        var waiting = Assert.Single(setAside.Current);
        Assert.Equal((PendingOrderRecovery.Kind, (long?)null), (waiting.Kind, waiting.AccountId));
        Assert.Equal(0, await recovery.RecoverAsync()); // waits for its retry: the provider is not asked again
        Assert.Equal(2, provider.Failed);

        // Meanwhile the scheduler runs the other account's expiry.
        await h.AdvanceToAsync(Expiry.AddMinutes(1));
        Assert.Equal(1, await ExpiriesAsync(h, other));

        provider.Down = false;
        Assert.True(h.Clock.GetUtcNow() >= waiting.RetryAt);
        Assert.Equal(1, await recovery.RecoverAsync());
        Assert.Empty(setAside.Current);
        await using (var db = h.Db()) Assert.Equal(OrderStatus.Paid, (await db.Orders.SingleAsync()).Status);
        Assert.Equal(5_000, (await h.WalletAsync(buyer)).Total);
        // The buyer's retry with the same key gets the booked order, not a second one.
        var retry = await h.BuyAsync(buyer, "email-5000", key: "buy-1");
        Assert.True(retry.Replayed);
        Assert.Equal(5_000, (await h.WalletAsync(buyer)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task An_auto_renew_outage_sets_auto_renew_aside_and_the_ledger_s_events_go_on()
    {
        var provider = new SwitchablePaymentProvider();
        await using var h = LedgerHarness.Start(Start, payments: _ => provider);
        var renewing = await h.CreateAccountAsync("Renewing");
        var list = await h.Ledger.CreateListAsync(renewing, "News", LedgerHarness.Owner);
        await h.BuyAsync(renewing, "email-10000");
        await h.Ledger.UpdateSettingsAsync(renewing, new(AutoRenew: new Dictionary<Channel, bool> { [Channel.Email] = true }), LedgerHarness.Owner);
        var other = await AccountWithExpiringLotAsync(h, "Other");
        var setAside = h.Services.GetRequiredService<SetAsideWork>();

        provider.Down = true;
        await h.SendAsync(renewing, list, 9_000); // 10% left: an auto-renew attempt is due now
        await h.AdvanceToAsync(Expiry.AddMinutes(1));

        Assert.Equal(1, await ExpiriesAsync(h, other));
        Assert.Contains(setAside.Current, s => s is { Kind: "auto-renew", AccountId: null });
        Assert.Equal(1_000, (await h.WalletAsync(renewing)).Total);

        provider.Down = false;
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(11_000, (await h.WalletAsync(renewing)).Total);
        Assert.Empty(setAside.Current);
        await h.AssertLedgerConsistentAsync();
    }
}
