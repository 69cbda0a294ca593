using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>Issue #17: holds for scheduled campaigns (docs/domain.md §6, "Holds"). Every scenario ends with the ledger check at 0.</summary>
public sealed class HoldTests
{
    // 20 Nov 2026, 10:00 in Rome.
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static HoldRequest Request(long listId, long quantity, DateTimeOffset expiresAt, Channel channel = Channel.Email, string? country = null,
        string? key = null) => new(channel, listId, quantity, country, "friday campaign", expiresAt, key ?? Guid.NewGuid().ToString("N"));

    private static async Task<(LedgerHarness H, long Account, long List)> AccountWithCreditsAsync(long credits = 1_000)
    {
        var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, credits);
        var list = await h.Ledger.CreateListAsync(id, "Newsletter", LedgerHarness.Owner);
        return (h, id, list);
    }

    private static Task<HoldResult> PlaceAsync(LedgerHarness h, long id, HoldRequest r) => h.Ledger.PlaceHoldAsync(id, r, LedgerHarness.Owner);

    [Fact]
    public async Task APlacedHold_ReservesCreditsInR1Order_AndASendCannotSpendThem()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var expiring = await h.GrantAsync(id, 50, Start.AddDays(60));
        var lasting = await h.GrantAsync(id, 100);
        var list = await h.Ledger.CreateListAsync(id, "Newsletter", LedgerHarness.Owner);

        var hold = (await PlaceAsync(h, id, Request(list, 120, Start.AddDays(3)))).Hold;

        Assert.Equal(HoldStatus.Active, hold.Status);
        Assert.Equal(120, hold.Held);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(30, wallet.Total);
        Assert.Equal(120, wallet.Held);
        Assert.Equal(hold.Id, Assert.Single(wallet.ActiveHolds).Id);
        await using (var db = h.Db())
        {
            // R1: the non-expiring lot first, then 20 of the expiring one.
            var lots = await db.Lots.AsNoTracking().OrderBy(l => l.Id).ToListAsync();
            Assert.Equal((0L, 100L), (lots.Single(l => l.Id == lasting).Remaining, lots.Single(l => l.Id == lasting).Held));
            Assert.Equal((30L, 20L), (lots.Single(l => l.Id == expiring).Remaining, lots.Single(l => l.Id == expiring).Held));
        }

        var refused = await h.SendAsync(id, list, 31);
        Assert.Equal(ConsumptionStatus.Rejected, refused.Status);
        Assert.Equal(ConsumptionReasons.InsufficientCredits, refused.Reason);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 30)).Status);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        Assert.Equal(120, (await h.WalletAsync(id)).Held);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task HeldCredits_QueueASendWhenTheAccountHoldsSends_AndItGoesWhenTheHoldIsVoided()
    {
        var (h, id, list) = await AccountWithCreditsAsync(100);
        await using var _ = h;
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        var hold = (await PlaceAsync(h, id, Request(list, 80, Start.AddDays(3)))).Hold;

        var queued = await h.SendAsync(id, list, 50);
        Assert.Equal(ConsumptionStatus.Queued, queued.Status);
        // A hold never jumps the queue: the queued send is first in line for the wallet's credits.
        var behind = await Assert.ThrowsAsync<LedgerRuleException>(() => PlaceAsync(h, id, Request(list, 1, Start.AddDays(3))));
        Assert.Equal(ConsumptionReasons.SendsQueued, behind.Code);

        await h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(0, wallet.Queued);
        Assert.Equal(50, wallet.Total);
        Assert.Equal(0, wallet.Held);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task APartialCapture_IsOneAcceptedConsumption_AndTheRestIsReleased_AndARetryAnswersTheSame()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        var hold = (await PlaceAsync(h, id, Request(list, 100, Start.AddDays(3)))).Hold;
        await h.AdvanceAsync(TimeSpan.FromHours(2));

        var tooMany = await Assert.ThrowsAsync<LedgerValidationException>(() => h.Ledger.CaptureHoldAsync(id, hold.Id, 101, LedgerHarness.Owner));
        Assert.Equal("quantity", tooMany.Field);
        var captured = await h.Ledger.CaptureHoldAsync(id, hold.Id, 60, LedgerHarness.Owner);

        Assert.False(captured.Replayed);
        Assert.Equal(HoldStatus.Captured, captured.Hold.Status);
        Assert.Equal(60, captured.Hold.CapturedQuantity);
        Assert.Equal(0, captured.Hold.Held);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(940, wallet.Total);
        Assert.Equal(0, wallet.Held);
        Assert.Equal(60, wallet.Lists.Single().SentThisMonth);
        var consumption = Assert.Single((await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items);
        Assert.Equal((captured.Hold.ConsumptionId!.Value, ConsumptionStatus.Accepted, 60L, 60L),
            (consumption.Id, consumption.Status, consumption.Quantity, consumption.Credits));
        await using (var db = h.Db())
        {
            // Reports count the capture as spent, once.
            Assert.Equal(60, await db.ListDailyUsage.SumAsync(u => u.Credits));
            Assert.Equal(60, await db.ListDailyUsage.SumAsync(u => u.Messages));
        }

        var retry = await h.Ledger.CaptureHoldAsync(id, hold.Id, 60, LedgerHarness.Owner);
        Assert.True(retry.Replayed);
        Assert.Equal(captured.Hold.ConsumptionId, retry.Hold.ConsumptionId);
        var other = await Assert.ThrowsAsync<HoldEndedException>(() => h.Ledger.CaptureHoldAsync(id, hold.Id, 10, LedgerHarness.Owner));
        Assert.Equal("hold_captured", other.Code);
        Assert.Equal("hold_captured", (await Assert.ThrowsAsync<HoldEndedException>(() => h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner))).Code);
        Assert.Equal(940, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AVoidReleasesEverything_AgainAnswersTheSame_AndACaptureAfterItIsRefused()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        var hold = (await PlaceAsync(h, id, Request(list, 300, Start.AddDays(3)))).Hold;

        var voided = await h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner);
        Assert.Equal(HoldStatus.Voided, voided.Hold.Status);
        Assert.True((await h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner)).Replayed);
        var refused = await Assert.ThrowsAsync<HoldEndedException>(() => h.Ledger.CaptureHoldAsync(id, hold.Id, 1, LedgerHarness.Owner));
        Assert.Equal("hold_voided", refused.Code);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => h.Ledger.VoidHoldAsync(id, hold.Id + 1000, LedgerHarness.Owner));

        var wallet = await h.WalletAsync(id);
        Assert.Equal(1_000, wallet.Total);
        Assert.Equal(0, wallet.Held);
        Assert.Empty(await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null).ContinueWith(t => t.Result.Items));
        await using var db = h.Db();
        Assert.Contains(await db.AuditEntries.Select(a => a.After).ToListAsync(), a => a == "voided: released");
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AHoldReleasesItselfAtItsEnd_OnceEvenAfterARestartAndDowntime()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        var end = Start.AddDays(2);
        var hold = (await PlaceAsync(h, id, Request(list, 400, end))).Hold;
        await h.AdvanceToAsync(end.AddMinutes(-1));
        Assert.Equal(400, (await h.WalletAsync(id)).Held);

        // Down over the hold's end; the restarted writer catches up.
        await h.RestartAsync();
        await h.AdvanceToAsync(end.AddDays(1));

        var expired = (await h.Queries.GetHoldAsync(id, hold.Id))!;
        Assert.Equal(HoldStatus.Expired, expired.Status);
        Assert.Equal(end, expired.EndedAt);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(1_000, wallet.Total);
        Assert.Equal(0, wallet.Held);
        await h.RestartAsync();
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        await using var db = h.Db();
        Assert.Equal(1, await db.ScheduledEvents.CountAsync(e => e.Key == $"expire:hold:{hold.Id}"));
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.HoldId == hold.Id && e.Kind == LedgerEntryKind.HoldReleased));
        Assert.Equal(end, (await db.LedgerEntries.SingleAsync(e => e.HoldId == hold.Id && e.Kind == LedgerEntryKind.HoldReleased)).At);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AnAssignedList_HoldsFromItsAssignment_AndGetsItBackOnRelease()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        await h.Ledger.SetAllocationAsync(id, list, Channel.Email, AllocationMode.Assigned, 100, LedgerHarness.Owner);
        var other = await h.Ledger.CreateListAsync(id, "Promo", LedgerHarness.Owner);

        var refused = await Assert.ThrowsAsync<LedgerRuleException>(() => PlaceAsync(h, id, Request(list, 101, Start.AddDays(3))));
        Assert.Equal(ConsumptionReasons.InsufficientCredits, refused.Code);
        var hold = (await PlaceAsync(h, id, Request(list, 80, Start.AddDays(3)))).Hold;

        var wallet = await h.WalletAsync(id);
        Assert.Equal(20, wallet.Lists.Single(l => l.Id == list).Assigned);
        Assert.Equal(900, wallet.Unassigned);
        Assert.Equal(ConsumptionReasons.InsufficientCredits, (await h.SendAsync(id, list, 21)).Reason);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, other, 900)).Status);

        await h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner);
        wallet = await h.WalletAsync(id);
        Assert.Equal(100, wallet.Lists.Single(l => l.Id == list).Assigned);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 100)).Status);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task HeldMessagesCountAgainstTheMonthlyCap_WhileHeld_AndAreGivenBackOnRelease()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 100, LedgerHarness.Owner);
        var hold = (await PlaceAsync(h, id, Request(list, 80, Start.AddDays(3)))).Hold;

        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 30)).Reason);
        Assert.Equal(ConsumptionReasons.MonthlyCap,
            (await Assert.ThrowsAsync<LedgerRuleException>(() => PlaceAsync(h, id, Request(list, 21, Start.AddDays(3))))).Code);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 20)).Status);

        await h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 80)).Status);
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 1)).Reason);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AcrossTheMonthStartInTheAccountsZone_TheHoldStillCounts_AndItsCaptureCountsInTheMonthItHappens()
    {
        // 30 Nov 2026, 22:00 in Rome.
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "Newsletter", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 100, LedgerHarness.Owner);
        await h.SendAsync(id, list, 10);
        var hold = (await PlaceAsync(h, id, Request(list, 80, h.Clock.GetUtcNow().AddDays(5)))).Hold;
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 11)).Reason);

        // 1 Dec 00:00 in Rome (23:00 UTC): November's 10 no longer count, the held 80 still do.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 21)).Reason);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 20)).Status);

        await h.Ledger.CaptureHoldAsync(id, hold.Id, 50, LedgerHarness.Owner);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(70, wallet.Lists.Single().SentThisMonth);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 30)).Status);
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 1)).Reason);
        await using (var db = h.Db())
        {
            var december = await db.ListDailyUsage.Where(u => u.LocalDate >= new DateOnly(2026, 12, 1)).SumAsync(u => u.Messages);
            Assert.Equal(100, december);
        }
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task ALotThatEndsInsideAHold_StaysHeld_ACaptureMaySpendIt_AndWhatIsReleasedExpiresAtTheRelease()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var lotEnd = Start.AddDays(1);
        var lot = await h.GrantAsync(id, 100, lotEnd);
        await h.GrantAsync(id, 40);
        var list = await h.Ledger.CreateListAsync(id, "Newsletter", LedgerHarness.Owner);
        // R1: the 40 that never expire first, then 80 of the 100 that end tomorrow.
        var hold = (await PlaceAsync(h, id, Request(list, 120, Start.AddDays(5)))).Hold;

        await h.AdvanceToAsync(lotEnd.AddHours(1));
        // The lot's 20 not held expired at its end; its held 80 did not.
        var wallet = await h.WalletAsync(id);
        Assert.Equal(0, wallet.Total);
        Assert.Equal(120, wallet.Held);
        await using (var db = h.Db())
        {
            var row = await db.Lots.AsNoTracking().SingleAsync(l => l.Id == lot);
            Assert.Equal((0L, 80L), (row.Remaining, row.Held));
            Assert.Equal(-20, await db.LedgerEntries.Where(e => e.LotId == lot && e.Kind == LedgerEntryKind.Expiry).SumAsync(e => e.Quantity));
        }

        // The capture spends in the order held: the 40 first, then 50 of the ended lot's 80.
        var captured = await h.Ledger.CaptureHoldAsync(id, hold.Id, 90, LedgerHarness.Owner);
        Assert.Equal(HoldStatus.Captured, captured.Hold.Status);
        wallet = await h.WalletAsync(id);
        Assert.Equal(0, wallet.Total);
        Assert.Equal(0, wallet.Held);
        await using (var db = h.Db())
        {
            var row = await db.Lots.AsNoTracking().SingleAsync(l => l.Id == lot);
            Assert.Equal((0L, 0L), (row.Remaining, row.Held));
            // The 30 released after the lot's end expired at the release: back, then gone, at the capture's instant.
            var expiredAtRelease = await db.LedgerEntries.Where(e => e.LotId == lot && e.Kind == LedgerEntryKind.Expiry && e.HoldId == hold.Id).ToListAsync();
            Assert.Equal(-30, Assert.Single(expiredAtRelease).Quantity);
            Assert.Equal(h.Clock.GetUtcNow(), expiredAtRelease[0].At);
        }
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task ALotThatEndsInsideAHold_ExpiresWhenTheHoldIsVoided_FromTheListItWentBackTo()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100, Start.AddDays(1));
        var list = await h.Ledger.CreateListAsync(id, "Newsletter", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, list, Channel.Email, AllocationMode.Assigned, 100, LedgerHarness.Owner);
        var hold = (await PlaceAsync(h, id, Request(list, 60, Start.AddDays(5)))).Hold;
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(0, (await h.WalletAsync(id)).Lists.Single().Assigned);

        await h.Ledger.VoidHoldAsync(id, hold.Id, LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id);
        Assert.Equal((0L, 0L, 0L), (wallet.Total, wallet.Held, wallet.Lists.Single().Assigned));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task ARetryOfThePlacementAnswersTheSameHold_AndAnotherBodyIsAConflict()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        var request = Request(list, 100, Start.AddDays(3), key: "campaign-42");

        var first = await PlaceAsync(h, id, request);
        var again = await PlaceAsync(h, id, request);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Hold.Id, again.Hold.Id);
        await Assert.ThrowsAsync<IdempotencyConflictException>(() => PlaceAsync(h, id, request with { Quantity = 101 }));
        Assert.Equal(900, (await h.WalletAsync(id)).Total);
        await using var db = h.Db();
        Assert.Equal(1, await db.Holds.CountAsync());
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AfterARestart_AnActiveHoldIsReadBack_StillUnspendable_AndCapturable()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 50, Start.AddDays(30));
        await h.GrantAsync(id, 50);
        var list = await h.Ledger.CreateListAsync(id, "Newsletter", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 150, LedgerHarness.Owner);
        var hold = (await PlaceAsync(h, id, Request(list, 70, Start.AddDays(3)))).Hold;

        await h.RestartAsync();

        Assert.Equal(ConsumptionReasons.InsufficientCredits, (await h.SendAsync(id, list, 31)).Reason);
        Assert.Equal(ConsumptionReasons.MonthlyCap,
            (await Assert.ThrowsAsync<LedgerRuleException>(() => PlaceAsync(h, id, Request(list, 81, Start.AddDays(3))))).Code);
        var captured = await h.Ledger.CaptureHoldAsync(id, hold.Id, 70, LedgerHarness.Owner);
        Assert.Equal(HoldStatus.Captured, captured.Hold.Status);
        var wallet = await h.WalletAsync(id);
        Assert.Equal((30L, 0L), (wallet.Total, wallet.Held));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task BadInputNamesTheField_AndAHoldThatCannotBeCoveredIsRefusedWithNothingRecorded()
    {
        var (h, id, list) = await AccountWithCreditsAsync(100);
        await using var _ = h;

        Assert.Equal("expiresAt", (await Assert.ThrowsAsync<LedgerValidationException>(() => PlaceAsync(h, id, Request(list, 10, Start)))).Field);
        Assert.Equal("expiresAt",
            (await Assert.ThrowsAsync<LedgerValidationException>(() => PlaceAsync(h, id, Request(list, 10, Start.AddDays(30).AddSeconds(1))))).Field);
        Assert.Equal("quantity", (await Assert.ThrowsAsync<LedgerValidationException>(() => PlaceAsync(h, id, Request(list, 0, Start.AddDays(1))))).Field);
        Assert.Equal("country",
            (await Assert.ThrowsAsync<LedgerValidationException>(() => PlaceAsync(h, id, Request(list, 1, Start.AddDays(1), Channel.Sms)))).Field);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => PlaceAsync(h, id, Request(list + 99, 1, Start.AddDays(1))));
        var refused = await Assert.ThrowsAsync<LedgerRuleException>(() => PlaceAsync(h, id, Request(list, 101, Start.AddDays(30))));
        Assert.Equal(ConsumptionReasons.InsufficientCredits, refused.Code);
        Assert.Contains("only 100", refused.Message);

        await using var db = h.Db();
        Assert.Equal(0, await db.Holds.CountAsync());
        Assert.Equal(100, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Reports_CountOnlyCapturesAsSpent_AndShowWhatIsHeldNowApart()
    {
        var (h, id, list) = await AccountWithCreditsAsync();
        await using var _ = h;
        await h.SendAsync(id, list, 100);
        await PlaceAsync(h, id, Request(list, 300, Start.AddDays(3)));
        var captured = (await PlaceAsync(h, id, Request(list, 200, Start.AddDays(3)))).Hold;
        await h.Ledger.CaptureHoldAsync(id, captured.Id, 150, LedgerHarness.Owner);

        var report = (await new CreditPortal.Reports.ReportQueries(h.Database.Portal).GetUsageAsync(id,
            new CreditPortal.Reports.ReportRange(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), CreditPortal.Reports.ReportGrouping.Month)))!;

        Assert.Equal(250, report.TotalCredits);
        Assert.Equal(250, report.TotalMessages);
        Assert.Equal(300, report.TotalHeldNow);
        Assert.Equal(300, report.HeldNow![Channel.Email]);
        Assert.Equal(0, Assert.Single(report.Summary).CreditsExpired);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task AnSmsHold_HoldsTheCreditsOfItsCountry_AndItsCaptureSpendsThem()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100, null, Channel.Sms);
        var list = await h.Ledger.CreateListAsync(id, "Alerts", LedgerHarness.Owner);
        var us = h.Options.SmsCreditsPerMessage["US"];

        var hold = (await PlaceAsync(h, id, Request(list, 10, Start.AddDays(1), Channel.Sms, "us"))).Hold;
        Assert.Equal(10 * us, hold.Credits);
        await h.Ledger.CaptureHoldAsync(id, hold.Id, 4, LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id, Channel.Sms);
        Assert.Equal(100 - 4 * us, wallet.Total);
        var consumption = Assert.Single((await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items);
        Assert.Equal(("US", 4L * us), (consumption.Country, consumption.Credits));
        await h.AssertLedgerConsistentAsync();
    }
}
