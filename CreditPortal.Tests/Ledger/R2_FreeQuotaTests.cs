using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

public sealed class R2_FreeQuotaTests
{
    // 1 Nov 2026 00:00 in Rome is 31 Oct 23:00 UTC (CET, after the October change).
    private static readonly DateTimeOffset MidOctober = new(2026, 10, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RomeNovemberStart = new(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);

    /// <summary>docs/domain.md's examples use Q = 2,000: a product type worth exactly that.</summary>
    private static LedgerHarness WithQuota2000(DateTimeOffset start)
        => LedgerHarness.Start(start, o => o.ProductTypes["Newsletter"] = 2_000);

    [Fact]
    public async Task R2_WorkedExample_Balance1500AtMonthEndBecomes2000()
    {
        await using var h = WithQuota2000(MidOctober);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Newsletter");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 500);
        Assert.Equal(1_500, (await h.WalletAsync(id)).Total);

        await h.AdvanceToAsync(RomeNovemberStart.AddMinutes(-1));
        Assert.Equal(1_500, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(RomeNovemberStart);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(2_000, wallet.Total);
        var free = Assert.Single(wallet.Lots);
        Assert.Equal(LotKind.MonthlyFree, free.Kind);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), free.ExpiresAt);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R2_WorkedExample_PurchasedCreditsCountInB_1500PurchasedGets500Free()
    {
        await using var h = WithQuota2000(MidOctober);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome");
        await h.GrantAsync(id, 1_500);
        await h.Ledger.SetProductTypesAsync(id, [], LedgerHarness.SupportAgent, null);

        // Gains the product type at the month start's eve; the next month start tops up to Q only.
        await h.AdvanceToAsync(RomeNovemberStart);
        await h.Ledger.SetProductTypesAsync(id, ["Newsletter"], LedgerHarness.SupportAgent, "bought a newsletter product");
        var wallet = await h.WalletAsync(id);
        Assert.Equal(2_000, wallet.Total);
        Assert.Equal(500, wallet.Lots.Single(l => l.Kind == LotKind.MonthlyFree).Quantity);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R2_WorkedExample_10000PurchasedRemainingGetsNoFreeCredits()
    {
        await using var h = WithQuota2000(MidOctober);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Newsletter");
        await h.BuyAsync(id, "email-10000");

        await h.AdvanceToAsync(RomeNovemberStart);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(10_000, wallet.Total);
        Assert.DoesNotContain(wallet.Lots, l => l.Kind == LotKind.MonthlyFree);
        await using var db = h.Db();
        Assert.True(await db.ScheduledEvents.AnyAsync(e => e.Key == $"topup:{id}:2026-11"), "the month's top-up ran (and granted nothing)");
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public void R2_QuotaIsTheSumOverDistinctTypes_OwningSeveralOfATypeCountsOnce()
    {
        var quotas = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase) { ["Ticketing"] = 2_500, ["WebHosting"] = 1_000, ["Domain"] = 250 };
        Assert.Equal(3_750, FreeQuota.Of(["Ticketing", "Domain", "Domain", "WebHosting", "ticketing"], quotas));
        Assert.Equal(0, FreeQuota.Of([], quotas));
        Assert.Equal(0, FreeQuota.TopUp(2_000, 10_000));
        Assert.Equal(500, FreeQuota.TopUp(2_000, 1_500));
    }

    [Fact]
    public async Task R2_GainingAProductTypeMidMonth_TopsUpAtOnce_NeverAdditive()
    {
        await using var h = LedgerHarness.Start(MidOctober);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Domain");
        Assert.Equal(250, (await h.WalletAsync(id)).Total);

        await h.Ledger.SetProductTypesAsync(id, ["Domain", "WebHosting"], LedgerHarness.SupportAgent, "upsell");
        Assert.Equal(1_250, (await h.WalletAsync(id)).Total);

        // Setting the same types again grants nothing more.
        await h.Ledger.SetProductTypesAsync(id, ["WebHosting", "Domain"], LedgerHarness.SupportAgent, "no change");
        Assert.Equal(1_250, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R2_CatchUp_AJumpOverThreeMonthStartsRunsThreeTopUps()
    {
        await using var h = LedgerHarness.Start(MidOctober);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Ticketing");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 1_000);

        await h.AdvanceToAsync(new DateTimeOffset(2027, 1, 15, 12, 0, 0, TimeSpan.Zero));

        await using var db = h.Db();
        var topUps = db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp).OrderBy(e => e.Id).ToList();
        // Creation (2,500), then Nov, Dec and Jan month starts (each time the old free lot expired first).
        Assert.Equal([2_500L, 2_500, 2_500, 2_500], topUps.Select(e => e.Quantity));
        Assert.Equal(
            [new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero)],
            topUps.Skip(1).Select(e => e.At));
        Assert.Equal(3, db.LedgerEntries.Count(e => e.AccountId == id && e.Kind == LedgerEntryKind.Expiry));
        Assert.Equal(2_500, (await h.WalletAsync(id)).Total);

        // A second run at the same instant repeats nothing.
        await h.Scheduler.RunDueAsync();
        Assert.Equal(4, db.LedgerEntries.Count(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp));
        await h.AssertLedgerConsistentAsync();
    }

    [Theory]
    // Rome: the October change (25 Oct 2026) → November starts at 23:00 UTC; the March change → April at 22:00 UTC.
    [InlineData("Europe/Rome", "2026-10-20T10:00:00Z", "2026-10-31T23:00:00Z")]
    [InlineData("Europe/Rome", "2026-03-20T10:00:00Z", "2026-03-31T22:00:00Z")]
    // New York: 1 Nov 2026 is the very day summer time ends (at 02:00), so midnight is still EDT (UTC−4).
    [InlineData("America/New_York", "2026-10-20T10:00:00Z", "2026-11-01T04:00:00Z")]
    [InlineData("America/New_York", "2026-11-10T10:00:00Z", "2026-12-01T05:00:00Z")]
    // Sydney: southern summer time starts 4 Oct 2026; November starts at 13:00 UTC on 31 October.
    [InlineData("Australia/Sydney", "2026-10-20T10:00:00Z", "2026-10-31T13:00:00Z")]
    public async Task R2_MonthStartAcrossDaylightSavingChanges_TopUpRunsAtLocalMidnight(string zone, string start, string expectedTopUp)
    {
        var from = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        var due = DateTimeOffset.Parse(expectedTopUp, System.Globalization.CultureInfo.InvariantCulture);
        await using var h = LedgerHarness.Start(from);
        var id = await h.CreateAccountAsync("Acme", zone, "Domain");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 100);

        await h.AdvanceToAsync(due.AddSeconds(-1));
        Assert.Equal(150, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(due);

        await using var db = h.Db();
        var topUp = db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp).OrderBy(e => e.Id).Last();
        Assert.Equal(due, topUp.At);
        Assert.Equal(250, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }
}
