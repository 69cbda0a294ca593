using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R1_ConsumptionOrderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task R1_WorkedExample_NonExpiringLotsGoFirst()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var expiring = await h.GrantAsync(id, 50, Start.AddDays(30));
        var nonExpiring = await h.GrantAsync(id, 20);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var result = await h.SendAsync(id, list, 30);

        Assert.Equal(ConsumptionStatus.Accepted, result.Status);
        await using var db = h.Db();
        Assert.Equal(0, db.Lots.Single(l => l.Id == nonExpiring).Remaining);
        Assert.Equal(40, db.Lots.Single(l => l.Id == expiring).Remaining);
        var entries = db.LedgerEntries.Where(e => e.ConsumptionId == result.Id).OrderBy(e => e.Id).ToList();
        Assert.Equal([(nonExpiring, -20L), (expiring, -10L)], entries.Select(e => (e.LotId!.Value, e.Quantity)));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R1_ExpiringLotsGoSoonestExpiryFirst_NonExpiringOldestFirst()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var late = await h.GrantAsync(id, 10, Start.AddDays(60));
        var older = await h.GrantAsync(id, 10);
        var soon = await h.GrantAsync(id, 10, Start.AddDays(5));
        var newer = await h.GrantAsync(id, 10);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var result = await h.SendAsync(id, list, 35);

        await using var db = h.Db();
        var drawn = db.LedgerEntries.Where(e => e.ConsumptionId == result.Id).OrderBy(e => e.Id).Select(e => e.LotId!.Value).ToList();
        Assert.Equal([older, newer, soon, late], drawn);
        Assert.Equal(5, db.Lots.Single(l => l.Id == late).Remaining);
        var wallet = await h.WalletAsync(id);
        Assert.Equal([late], wallet.Lots.Select(l => l.Id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public void R1_Order_IsTotal_TiesOnExpiryGoToTheOlderLot()
    {
        var at = Start.AddDays(3);
        var lots = new List<LotState>
        {
            new() { Id = 4, ExpiresAt = at },
            new() { Id = 3, ExpiresAt = null },
            new() { Id = 2, ExpiresAt = at },
            new() { Id = 1, ExpiresAt = at.AddDays(-1) },
            new() { Id = 5, ExpiresAt = null },
        };
        lots.Sort(ConsumptionOrder.Instance);
        Assert.Equal([3L, 5, 1, 2, 4], lots.Select(l => l.Id));
    }

    [Fact]
    public async Task R1_AnExpiredLotIsNeverDrawn_EvenIfTheSchedulerHasNotRunYet()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100, Start.AddHours(1));
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        // Move the clock without running the scheduler: the send itself must see the lot as expired.
        h.Clock.MoveTo(Start.AddHours(1));
        var result = await h.SendAsync(id, list, 1);

        Assert.Equal(ConsumptionStatus.Rejected, result.Status);
        Assert.Equal(ConsumptionReasons.InsufficientCredits, result.Reason);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }
}
