using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R5_ExpirySplitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void R5_WorkedExample_Unassigned30_A200_B100_Expire90()
    {
        var split = ExpirySplit.Split(90, 30, [(1, 200), (2, 100)]);
        Assert.Equal(30, split.FromUnassigned);
        Assert.Equal([(1L, 40L), (2L, 20L)], split.FromLists);
    }

    [Fact]
    public void R5_LargestRemainder_TiesGoToTheLowestListId()
    {
        // 2 credits over three equal lists: each share is 2/3; the two lowest ids get one each.
        var split = ExpirySplit.Split(2, 0, [(7, 100), (3, 100), (5, 100)]);
        Assert.Equal([(3L, 1L), (5L, 1L)], split.FromLists);
    }

    [Fact]
    public void R5_LargestRemainder_TheLargerFractionWinsBeforeIds()
    {
        // 10 over 1:2 → 3.33 and 6.67: the extra unit goes to the larger remainder (list 9), not the lower id.
        var split = ExpirySplit.Split(10, 0, [(1, 100), (9, 200)]);
        Assert.Equal([(1L, 3L), (9L, 7L)], split.FromLists);
    }

    [Fact]
    public void R5_WhenThePoolCoversIt_NoListIsTouched()
    {
        var split = ExpirySplit.Split(30, 30, [(1, 200)]);
        Assert.Equal(30, split.FromUnassigned);
        Assert.Empty(split.FromLists);
    }

    [Fact]
    public void R5_SplitAlwaysSumsToX_AndNeverTakesMoreThanAListHolds()
    {
        var random = new Random(20261122);
        for (var round = 0; round < 2_000; round++)
        {
            var lists = Enumerable.Range(1, random.Next(1, 8)).Select(i => ((long)i, (long)random.Next(0, 1_000))).ToList();
            var unassigned = random.Next(0, 500);
            var total = unassigned + lists.Sum(l => l.Item2);
            var expiring = random.NextInt64(0, total + 1);
            var split = ExpirySplit.Split(expiring, unassigned, lists);
            Assert.Equal(expiring, split.FromUnassigned + split.FromLists.Sum(l => l.Amount));
            foreach (var (listId, amount) in split.FromLists)
                Assert.InRange(amount, 1, lists.Single(l => l.Item1 == listId).Item2);
        }
    }

    [Fact]
    public async Task R5_WorkedExample_ThroughTheLedger()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 240);
        await h.GrantAsync(id, 90, Start.AddDays(10));
        var a = await h.Ledger.CreateListAsync(id, "A", LedgerHarness.Owner);
        var b = await h.Ledger.CreateListAsync(id, "B", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 200, LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, b, Channel.Email, AllocationMode.Assigned, 100, LedgerHarness.Owner);
        Assert.Equal(30, (await h.WalletAsync(id)).Unassigned);

        await h.AdvanceToAsync(Start.AddDays(10));

        var wallet = await h.WalletAsync(id);
        Assert.Equal(0, wallet.Unassigned);
        Assert.Equal(160, wallet.Lists.Single(l => l.Id == a).Assigned);
        Assert.Equal(80, wallet.Lists.Single(l => l.Id == b).Assigned);
        Assert.Equal(240, wallet.Total);

        await using var db = h.Db();
        var expiry = db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == LedgerEntryKind.Expiry).OrderBy(e => e.Id).ToList();
        Assert.Equal([(null, -30L), (a, -40L), (b, -20L)], expiry.Select(e => ((long?)e.ListId, e.Quantity)).Select(x => (x.Item1, x.Quantity)));
        Assert.All(expiry, e => Assert.Equal(Start.AddDays(10), e.At));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R5_TiesThroughTheLedger_LowestListIdLosesTheOddCredit()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 299);
        await h.GrantAsync(id, 1, Start.AddDays(1));
        var lists = new List<long>();
        foreach (var name in new[] { "A", "B", "C" })
        {
            var list = await h.Ledger.CreateListAsync(id, name, LedgerHarness.Owner);
            await h.Ledger.SetAllocationAsync(id, list, Channel.Email, AllocationMode.Assigned, 100, LedgerHarness.Owner);
            lists.Add(list);
        }

        await h.AdvanceToAsync(Start.AddDays(1));

        var wallet = await h.WalletAsync(id);
        Assert.Equal([99L, 100, 100], lists.Select(l => wallet.Lists.Single(x => x.Id == l).Assigned));
        await h.AssertLedgerConsistentAsync();
    }
}
