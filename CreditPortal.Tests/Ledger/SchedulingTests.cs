using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Ledger;

/// <summary>docs/domain.md §3: every due event exactly once, in order, even across downtime and restarts.</summary>
public sealed class SchedulingTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CatchUp_AfterDowntime_RunsEveryMissedEventInOrder_OnStart()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Ticketing");
        await h.Ledger.ChangePlanAsync(id, Channel.Sms, Plan.Free, null, null, LedgerHarness.Owner);

        // "Down" for three months: the clock moves, nothing runs, then the process starts again.
        h.Clock.MoveTo(new DateTimeOffset(2027, 1, 25, 12, 0, 0, TimeSpan.Zero));
        await h.RestartAsync();
        await h.Scheduler.RunDueAsync();

        await using var db = h.Db();
        var grants = db.LedgerEntries.Where(e => e.AccountId == id && (e.Kind == LedgerEntryKind.TopUp || e.Kind == LedgerEntryKind.PlanCredits))
            .OrderBy(e => e.Id).Select(e => new { e.Kind, e.At }).ToList();
        // Creation + Nov/Dec/Jan top-ups; plan lot at switch + 20 Nov, 20 Dec, 20 Jan cycles: in time order.
        Assert.Equal(3, grants.Count(g => g.Kind == LedgerEntryKind.TopUp && g.At > Start));
        Assert.Equal(4, grants.Count(g => g.Kind == LedgerEntryKind.PlanCredits));
        Assert.Equal(grants.Select(g => g.At).Order(), grants.Select(g => g.At));
        Assert.Equal(15_000, (await h.WalletAsync(id, Channel.Sms)).Total);
        Assert.Equal(2_500, (await h.WalletAsync(id)).Total);
        // Nothing is left due: the scheduler would otherwise spin.
        Assert.True(await h.Scheduler.NextDueAsync(default) > h.Clock.GetUtcNow());
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task EachEventRunsOnce_ASecondRunAndARestartRepeatNothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Ticketing");
        await h.AdvanceToAsync(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero));
        await using var db = h.Db();
        var entries = await db.LedgerEntries.CountAsync();
        var events = await db.ScheduledEvents.CountAsync();

        await h.Scheduler.RunDueAsync();
        await h.RestartAsync();
        await h.Scheduler.RunDueAsync();

        Assert.Equal(entries, await db.LedgerEntries.CountAsync());
        Assert.Equal(events, await db.ScheduledEvents.CountAsync());
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task RestartMidwayThroughScheduledWork_FinishesTheRestExactlyOnce()
    {
        await using var h = LedgerHarness.Start(Start);
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
            ids.Add(await h.CreateAccountAsync($"Account {i}", "Europe/Rome", "Domain"));
        var monthStart = new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);
        h.Clock.MoveTo(monthStart.AddHours(1));

        // Run the due work of only part of the accounts, then "crash": the rest is left undone.
        var ledgerWork = (LedgerDueWork)h.Services.GetServices<CreditPortal.Scheduling.IDueWork>().First(w => w is LedgerDueWork);
        await h.Writer.RunAsync(s =>
        {
            foreach (var id in ids.Take(45)) s.Due.RunForTest(id, monthStart);
        });
        await h.RestartAsync();
        await h.Scheduler.RunDueAsync();

        await using var db = h.Db();
        foreach (var id in ids)
        {
            Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp && e.At == monthStart));
            Assert.Equal(1, await db.ScheduledEvents.CountAsync(e => e.Key == $"topup:{id}:2026-11"));
        }
        Assert.Equal(250 * ids.Count, await db.Lots.Where(l => l.ExpiredAt == null).SumAsync(l => l.Remaining));
        Assert.True(await ledgerWork.NextDueAsync(default) > h.Clock.GetUtcNow());
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AFailedCommand_RollsBackAlone_WithinItsBatch()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        // Three commands queued together: the middle one throws halfway through its writes.
        var first = h.SendAsync(id, list, 10);
        var failing = h.Writer.RunAsync<int>(s =>
        {
            var account = s.Open(id);
            s.Postings.GrantLot(account, account.Email, LotKind.Adjustment, 1_000, null, "test", null, LedgerEntryKind.Adjustment, Actor.System, "half", s.Now);
            throw new InvalidOperationException("boom");
        });
        var third = h.SendAsync(id, list, 20);

        Assert.Equal(ConsumptionStatus.Accepted, (await first).Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(ConsumptionStatus.Accepted, (await third).Status);
        Assert.Equal(70, (await h.WalletAsync(id)).Total);
        await using var db = h.Db();
        Assert.False(await db.Lots.AnyAsync(l => l.Quantity == 1_000));
        await h.AssertLedgerConsistentAsync();
    }
}
