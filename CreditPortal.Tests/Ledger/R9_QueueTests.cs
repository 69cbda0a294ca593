using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

public sealed class R9_QueueTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(long Account, long List)> HoldingAccount(LedgerHarness h, long credits)
    {
        var id = await h.CreateAccountAsync();
        if (credits > 0) await h.GrantAsync(id, credits);
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        return (id, await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner));
    }

    [Fact]
    public async Task R9_WithoutHold_ASendThatCannotGoIsRejectedAndStillRecorded()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var result = await h.SendAsync(id, list, 10);

        Assert.Equal(ConsumptionStatus.Rejected, result.Status);
        Assert.Equal(ConsumptionReasons.InsufficientCredits, result.Reason);
        var recorded = (await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items.Single();
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.InsufficientCredits), (recorded.Status, recorded.Reason));
        await using var db = h.Db();
        Assert.Equal(1, (await db.ListDailyUsage.SingleAsync(u => u.AccountId == id)).Rejected);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R9_FifoQueueRelease_AfterAPurchase()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await HoldingAccount(h, 100);

        var first = await h.SendAsync(id, list, 300);
        var second = await h.SendAsync(id, list, 50);   // could go, but queues behind the first (order kept)
        var third = await h.SendAsync(id, list, 10_000);
        Assert.Equal([ConsumptionStatus.Queued, ConsumptionStatus.Queued, ConsumptionStatus.Queued], new[] { first.Status, second.Status, third.Status });
        Assert.Equal(ConsumptionReasons.InsufficientCredits, first.Reason);
        Assert.Null(second.Reason);
        Assert.Equal(3, (await h.WalletAsync(id)).Queued);

        await h.BuyAsync(id, "email-5000");

        var items = (await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items.ToDictionary(c => c.Id);
        Assert.Equal(ConsumptionStatus.Accepted, items[first.Id].Status);
        Assert.Equal(ConsumptionStatus.Accepted, items[second.Id].Status);
        Assert.Equal(ConsumptionStatus.Queued, items[third.Id].Status);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(5_100 - 350, wallet.Total);
        Assert.Equal(1, wallet.Queued);

        // New sends keep queueing behind the one still waiting.
        Assert.Equal(ConsumptionStatus.Queued, (await h.SendAsync(id, list, 1)).Status);

        // Releases happen in request order: the ledger shows the first before the second.
        await using var db = h.Db();
        // (Distinct after the query: SQL's DISTINCT keeps no order, and PostgreSQL's does not.)
        var order = db.LedgerEntries.Where(e => e.ConsumptionId != null).OrderBy(e => e.Id).Select(e => e.ConsumptionId!.Value).ToList().Distinct().ToList();
        Assert.Equal([first.Id, second.Id], order);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R9_QueuedByTheDailyLimit_IsReleasedAtTheNextLocalDay()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await HoldingAccount(h, 0);
        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Free, null, null, LedgerHarness.Owner);
        await h.SendAsync(id, list, 2_000);
        var held = await h.SendAsync(id, list, 500);
        Assert.Equal((ConsumptionStatus.Queued, ConsumptionReasons.DailyLimit), (held.Status, held.Reason));

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 10, 22, 59, 0, TimeSpan.Zero));
        Assert.Equal(1, (await h.WalletAsync(id)).Queued);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 11, 1, 0, 0, TimeSpan.Zero));

        var released = (await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items.Single(c => c.Id == held.Id);
        Assert.Equal(ConsumptionStatus.Accepted, released.Status);
        // Released at local midnight (23:00 UTC), not when the clock was next read.
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 23, 0, 0, TimeSpan.Zero), released.DecidedAt);
        Assert.Equal(500, (await h.WalletAsync(id)).SentToday);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R9_ASendThatCanNeverPass_IsRejectedAtOnce_NeverQueuedAndBlocksNothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await HoldingAccount(h, 0);
        await h.ChangePlanAsync(id, Channel.Email, Plan.Free);                        // 15,000 credits, 2,000 sends a day
        var capped = await h.Ledger.CreateListAsync(id, "Capped", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, capped, Channel.Email, true, 100, LedgerHarness.Owner);
        await h.SendAsync(id, list, 1_990);
        var waiting = await h.SendAsync(id, list, 20);                                // today's limit: waits for tomorrow
        Assert.Equal((ConsumptionStatus.Queued, ConsumptionReasons.DailyLimit), (waiting.Status, waiting.Reason));

        var tooBigForADay = await h.SendAsync(id, list, 2_001);
        var tooBigForTheCap = await h.SendAsync(id, capped, 101);

        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.DailyLimit), (tooBigForADay.Status, tooBigForADay.Reason));
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.MonthlyCap), (tooBigForTheCap.Status, tooBigForTheCap.Reason));
        Assert.Equal(1, (await h.WalletAsync(id)).Queued);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 10, 23, 0, 0, TimeSpan.Zero)); // the next local day releases the waiting one
        Assert.Equal(0, (await h.WalletAsync(id)).Queued);
        Assert.Equal(15_000 - 1_990 - 20, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R9_QueuedByTheCap_IsReleasedWhenTheCapIsRaised()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await HoldingAccount(h, 1_000);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 100, LedgerHarness.Owner);
        await h.SendAsync(id, list, 100);
        var held = await h.SendAsync(id, list, 50);
        Assert.Equal((ConsumptionStatus.Queued, ConsumptionReasons.MonthlyCap), (held.Status, held.Reason));

        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 150, LedgerHarness.Owner);

        Assert.Equal(0, (await h.WalletAsync(id)).Queued);
        Assert.Equal(850, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R9_QueuedByTheCap_IsReleasedAtTheNextLocalMonth()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
        var (id, list) = await HoldingAccount(h, 1_000);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 100, LedgerHarness.Owner);
        await h.SendAsync(id, list, 100);
        var held = await h.SendAsync(id, list, 60);

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, (await h.WalletAsync(id)).Queued);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        var released = (await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items.Single(c => c.Id == held.Id);
        Assert.Equal(ConsumptionStatus.Accepted, released.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), released.DecidedAt);
        Assert.Equal(60, (await h.WalletAsync(id)).Lists.Single().SentThisMonth);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R9_AQueuedConsumptionRetriedWithItsKey_AnswersTheFirstResultAgain()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await HoldingAccount(h, 0);
        var first = await h.SendAsync(id, list, 10, key: "k-1");
        await h.GrantAsync(id, 100);
        var retry = await h.SendAsync(id, list, 10, key: "k-1");
        Assert.True(retry.Replayed);
        Assert.Equal((first.Id, ConsumptionStatus.Queued, ConsumptionReasons.InsufficientCredits), (retry.Id, retry.Status, retry.Reason));
        Assert.Equal(90, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }
}
