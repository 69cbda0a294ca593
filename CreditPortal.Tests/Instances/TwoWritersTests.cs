using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Instances;

/// <summary>
/// Issue #16, step by step: two ledger writers (two instances' services, each with its own account cache) on one
/// PostgreSQL database. A writer that cached an account must not decide on that copy after the other writer changed
/// the account: the row lock and version make it read the account again. (A monthly cap is counted only in the
/// writers' memory, so no database constraint would catch a stale decision.)
/// </summary>
public sealed class TwoWritersTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_writer_reads_again_an_account_the_other_writer_changed_and_neither_passes_the_cap()
    {
        await using var first = LedgerHarness.Start(Start, DatabaseProvider.PostgreSQL);
        await using var second = LedgerHarness.Beside(first);
        var id = await first.CreateAccountAsync();
        await first.GrantAsync(id, 1_000);
        var list = await first.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await first.Ledger.SetCapAsync(id, list, Channel.Email, enabled: true, perMonth: 10, LedgerHarness.Owner);

        Assert.Equal(ConsumptionStatus.Accepted, (await first.SendAsync(id, list, 6)).Status);   // the first writer caches 6 sent
        Assert.Equal(ConsumptionStatus.Accepted, (await second.SendAsync(id, list, 4)).Status);  // the second reads 6 and adds 4
        var third = await first.SendAsync(id, list, 1);                                           // 11 would pass the cap
        Assert.Equal(ConsumptionStatus.Rejected, third.Status);
        Assert.Equal(ConsumptionReasons.MonthlyCap, third.Reason);

        // Credits alike: both writers see what the other spent.
        Assert.Equal(990, (await first.WalletAsync(id)).Total);
        Assert.Equal(990, (await second.WalletAsync(id)).Total);
        await first.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_retry_at_the_other_writer_gets_the_first_answer_and_a_due_event_runs_once()
    {
        await using var first = LedgerHarness.Start(Start, DatabaseProvider.PostgreSQL);
        await using var second = LedgerHarness.Beside(first);
        var id = await first.CreateAccountAsync();
        await first.GrantAsync(id, 100, expiresAt: Start.AddDays(1));
        var list = await first.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var sent = await first.SendAsync(id, list, 30, key: "once");
        var retried = await second.SendAsync(id, list, 30, key: "once");
        Assert.True(retried.Replayed);
        Assert.Equal(sent.Id, retried.Id);
        Assert.Equal(70, (await second.WalletAsync(id)).Total);

        // Both schedulers see the expiry due; it runs once (its key is unique in the database), and the writer that
        // comes second reads the account again instead of expiring its stale copy's 70 credits a second time.
        await Task.WhenAll(first.AdvanceToAsync(Start.AddDays(2)), second.AdvanceToAsync(Start.AddDays(2)));
        Assert.Equal(0, (await first.WalletAsync(id)).Total);
        await using var db = first.Db();
        Assert.Single(db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == LedgerEntryKind.Expiry));
        await first.AssertLedgerConsistentAsync();
    }
}
