using System.Text.Json;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Issue 17.1, the dry run: a preview changes and records nothing, and the real consumption that follows it at
/// once agrees with it in everything it said: status and reason, the lots drawn and how much from each (R1), the
/// list's assignment and month count after (R4, R6), the wallet after, and the R10 warning. Each scenario walks a
/// limit one send at a time: below it, exactly at it, one beyond.
/// </summary>
public sealed class DryRunTests
{
    // 20 Nov 2026, 10:00 in Rome.
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DryRun_DrawsTheLotsInR1Order_AndTheSendThatFollowsDrawsTheSame()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var later = await h.GrantAsync(id, 300, Start.AddDays(60));
        var sooner = await h.GrantAsync(id, 200, Start.AddDays(10));
        var forever = await h.GrantAsync(id, 100);

        var preview = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 450));

        Assert.Equal(ConsumptionStatus.Accepted, preview.Status);
        Assert.Equal([(forever, 100L), (sooner, 200L), (later, 150L)], preview.Draws.Select(d => (d.LotId, d.Credits)));
        Assert.Equal(150, preview.WalletTotal);
        Assert.Equal(150, preview.WalletUnassigned);
        Assert.Null(preview.List.Assigned);

        var rest = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 150));
        Assert.Equal([(later, 150L)], rest.Draws.Select(d => (d.LotId, d.Credits)));
        var none = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1));
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.InsufficientCredits), (none.Status, none.Reason));
        Assert.Empty(none.Draws);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_AtTheMonthlyCap_AgreesBelowAtAndBeyondIt()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 10_000);
        var list = await h.Ledger.CreateListAsync(id, "Promo", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 100, LedgerHarness.Owner);

        var first = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 60));
        Assert.Equal((60L, 40L), (first.List.SentThisMonth, first.List.CapLeft!.Value));
        var atCap = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 40));
        Assert.Equal((ConsumptionStatus.Accepted, 0L), (atCap.Status, atCap.List.CapLeft!.Value));
        var beyond = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1));
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.MonthlyCap), (beyond.Status, beyond.Reason));
        Assert.Equal(100, beyond.List.SentThisMonth);

        // SMS: the cap counts messages, the draw credits (an SMS to the US costs 2).
        await h.GrantAsync(id, 1_000, null, Channel.Sms);
        await h.Ledger.SetCapAsync(id, list, Channel.Sms, true, 10, LedgerHarness.Owner);
        var us = await AgreesAsync(h, id, new SendCheck(Channel.Sms, list, 10, "US"));
        Assert.Equal((ConsumptionStatus.Accepted, 20L, 10L), (us.Status, us.Credits, us.List.SentThisMonth));
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await AgreesAsync(h, id, new SendCheck(Channel.Sms, list, 1, "IT"))).Reason);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_AtTheFreePlansDailyLimit_AgreesBelowAtAndBeyondIt()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Free, null, null, LedgerHarness.Owner);
        var limit = h.Options.FreePlan.DailySendLimit;

        Assert.Equal(ConsumptionStatus.Accepted, (await AgreesAsync(h, id, new SendCheck(Channel.Email, list, limit - 1))).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1))).Status);
        var beyond = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1));
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.DailyLimit), (beyond.Status, beyond.Reason));

        // The next local day (midnight in Rome) the limit starts again; the dry run sees the new day too.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 20, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal(ConsumptionStatus.Accepted, (await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1))).Status);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_AtAListsAssignment_AgreesBelowAtAndBeyondIt_AndASharedListCannotReachIt()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var assigned = await h.Ledger.CreateListAsync(id, "Care", LedgerHarness.Owner);
        var shared = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, assigned, Channel.Email, AllocationMode.Assigned, 300, LedgerHarness.Owner);

        var some = await AgreesAsync(h, id, new SendCheck(Channel.Email, assigned, 200));
        Assert.Equal((100L, 800L, 700L), (some.List.Assigned!.Value, some.WalletTotal, some.WalletUnassigned));
        var all = await AgreesAsync(h, id, new SendCheck(Channel.Email, assigned, 100));
        Assert.Equal(0, all.List.Assigned);
        var beyond = await AgreesAsync(h, id, new SendCheck(Channel.Email, assigned, 1));
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.InsufficientCredits), (beyond.Status, beyond.Reason));

        // The shared list draws only on the unassigned 700.
        Assert.Equal(ConsumptionStatus.Rejected, (await AgreesAsync(h, id, new SendCheck(Channel.Email, shared, 701))).Status);
        var exactly = await AgreesAsync(h, id, new SendCheck(Channel.Email, shared, 700));
        Assert.Equal((ConsumptionStatus.Accepted, 0L), (exactly.Status, exactly.WalletTotal));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_WithHold_SaysQueued_AndASendThatCouldGoQueuesBehindTheQueue()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100);
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var held = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 300));
        Assert.Equal((ConsumptionStatus.Queued, ConsumptionReasons.InsufficientCredits), (held.Status, held.Reason));
        Assert.Empty(held.Draws);
        Assert.Equal(100, held.WalletTotal);
        var behind = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 50));
        Assert.Equal((ConsumptionStatus.Queued, (string?)null), (behind.Status, behind.Reason));

        // Credits arrive: the queue is released, and a new send goes at once again.
        await h.GrantAsync(id, 1_000);
        Assert.Equal(0, (await h.WalletAsync(id)).Queued);
        Assert.Equal(ConsumptionStatus.Accepted, (await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 750))).Status);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_OnPro_IsAcceptedUnmeteredAndDrawsNothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.ChangePlanAsync(id, Channel.Email, Plan.Pro, 1_000);
        var total = (await h.WalletAsync(id)).Total;

        var preview = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 50_000));

        Assert.Equal((ConsumptionStatus.Accepted, true), (preview.Status, preview.Unmetered));
        Assert.Empty(preview.Draws);
        Assert.Equal(total, preview.WalletTotal);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_NamesTheLowBalanceAlertEachSendWouldRaise_AtEveryThreshold()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.BuyAsync(id, "email-10000");

        Assert.Null((await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 8_499))).Warning);       // 1,501 left: above 15%
        var low15 = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1));                      // 1,500: exactly 15%
        Assert.Equal(AlertKind.LowBalance15, low15.Warning!.Alert);
        Assert.Contains("1,500", low15.Warning.Detail);
        Assert.Null((await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1))).Warning);            // already told
        Assert.Equal(AlertKind.Depleted, (await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1_499))).Warning!.Alert); // 0: the most severe only
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_SaysWhenAutoRenewWouldBuy_AndOnlyOnce()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.BuyAsync(id, "email-10000");
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(AutoRenew: new Dictionary<Channel, bool> { [Channel.Email] = true }), LedgerHarness.Owner);

        Assert.Null((await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 8_999))).Warning);        // 10.01%
        var renew = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1));                       // exactly 10%
        Assert.True(renew.Warning!.AutoRenew);
        Assert.Null(renew.Warning.Alert);
        Assert.Null((await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 1))).Warning);            // the purchase is pending
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_SeesALotThatExpiredBeforeTheSchedulerRan_AsTheSendDoes()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.GrantAsync(id, 500, Start.AddDays(1));
        var kept = await h.GrantAsync(id, 100, Start.AddDays(30));
        h.Clock.MoveTo(Start.AddDays(2));        // the expiry is due; the scheduler has not run yet

        int consumptions;
        await using (var db = h.Db()) consumptions = await db.Consumptions.CountAsync();
        var preview = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 200), eventsDue: true);

        await using (var db = h.Db())
        {
            Assert.Equal(consumptions + 1, await db.Consumptions.CountAsync());   // the send's own, none from the preview
            Assert.Equal(1, await db.Lots.CountAsync(l => l.AccountId == id && l.ExpiredAt != null));
        }
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.InsufficientCredits), (preview.Status, preview.Reason));
        var fits = await AgreesAsync(h, id, new SendCheck(Channel.Email, list, 100));
        Assert.Equal([(kept, 100L)], fits.Draws.Select(d => (d.LotId, d.Credits)));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task DryRun_RefusesBadInputLikeTheSend_AndRecordsNothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var before = await FingerprintAsync(h, id);

        Assert.Equal("country", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.PreviewConsumptionAsync(id, new SendCheck(Channel.Sms, list, 1, "XX")))).Field);
        Assert.Equal("country", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.PreviewConsumptionAsync(id, new SendCheck(Channel.Sms, list, 1, null)))).Field);
        Assert.Equal("quantity", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.PreviewConsumptionAsync(id, new SendCheck(Channel.Email, list, 0)))).Field);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => h.Ledger.PreviewConsumptionAsync(id, new SendCheck(Channel.Email, list + 99, 1)));
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => h.Ledger.PreviewConsumptionAsync(id + 99, new SendCheck(Channel.Email, list, 1)));

        Assert.Equal(before, await FingerprintAsync(h, id));
    }

    /// <summary>
    /// Previews <paramref name="send"/>, checks that nothing changed, sends it for real at the same instant and checks
    /// that the send did what the preview said. Returns the preview.
    /// </summary>
    private static async Task<ConsumptionPreview> AgreesAsync(LedgerHarness h, long accountId, SendCheck send, bool eventsDue = false)
    {
        var before = await FingerprintAsync(h, accountId);
        var preview = await h.Ledger.PreviewConsumptionAsync(accountId, send);
        var afterPreview = await FingerprintAsync(h, accountId);
        // With events already due (an expiry the scheduler has not run yet) the preview runs them first, as any
        // command does; then it changes nothing more, so a second preview leaves everything as the first one did.
        if (!eventsDue) Assert.Equal(before, afterPreview);
        var again = await h.Ledger.PreviewConsumptionAsync(accountId, send);
        Assert.Equal(Json(preview), Json(again));
        Assert.Equal(afterPreview, await FingerprintAsync(h, accountId));
        var alertsBefore = await AlertIdsAsync(h, accountId);
        int renewalsBefore;
        await using (var db = h.Db()) renewalsBefore = await db.AutoRenewAttempts.CountAsync(a => a.AccountId == accountId);

        var result = await h.Ledger.ConsumeAsync(accountId,
            new ConsumptionRequest(send.Channel, send.ListId, send.Quantity, send.Country, send.Reference, Guid.NewGuid().ToString("N")), LedgerHarness.Owner);

        Assert.Equal((preview.Status, preview.Reason), (result.Status, result.Reason));
        await using (var db = h.Db())
        {
            var consumption = await db.Consumptions.SingleAsync(c => c.Id == result.Id);
            Assert.Equal((preview.Credits, preview.Unmetered), (consumption.Credits, consumption.Unmetered));
            var drawn = await db.LedgerEntries.Where(e => e.ConsumptionId == result.Id && e.LotId != null).OrderBy(e => e.Id)
                .Select(e => new { LotId = e.LotId!.Value, Credits = -e.Quantity }).ToListAsync();
            Assert.Equal(preview.Draws.Select(d => (d.LotId, d.Credits)), drawn.Select(d => (d.LotId, d.Credits)));
            Assert.Equal(renewalsBefore + (preview.Warning?.AutoRenew == true ? 1 : 0), await db.AutoRenewAttempts.CountAsync(a => a.AccountId == accountId));
        }
        var wallet = await h.WalletAsync(accountId, send.Channel);
        Assert.Equal((preview.WalletTotal, preview.WalletUnassigned), (wallet.Total, wallet.Unassigned));
        var list = wallet.Lists.Single(l => l.Id == send.ListId);
        Assert.Equal((preview.List.Mode, preview.List.Assigned ?? 0, preview.List.CapEnabled, preview.List.CapPerMonth, preview.List.SentThisMonth),
            (list.Mode, list.Assigned, list.CapEnabled, list.CapPerMonth, list.SentThisMonth));
        var raised = (await h.Queries.GetAlertsAsync(accountId)).Items.Where(a => !alertsBefore.Contains(a.Id)).ToList();
        Assert.Equal(preview.Warning?.Alert is { } kind ? [kind] : Array.Empty<AlertKind>(), raised.Select(a => a.Kind));
        if (preview.Warning?.Alert is not null) Assert.Equal(preview.Warning.Detail, raised.Single().Detail);
        return preview;
    }

    private static async Task<HashSet<long>> AlertIdsAsync(LedgerHarness h, long accountId)
        => (await h.Queries.GetAlertsAsync(accountId)).Items.Select(a => a.Id).ToHashSet();

    /// <summary>Everything of the account a preview might change: both wallets as the API shows them, and every table's rows.</summary>
    private static async Task<string> FingerprintAsync(LedgerHarness h, long accountId)
    {
        var wallets = new List<WalletView?>();
        foreach (var channel in Enum.GetValues<Channel>()) wallets.Add(await h.Queries.GetWalletAsync(accountId, channel));
        await using var db = h.Db();
        var counts = new[]
        {
            await db.Consumptions.CountAsync(), await db.LedgerEntries.CountAsync(), await db.ListDailyUsage.CountAsync(),
            await db.Alerts.CountAsync(), await db.AuditEntries.CountAsync(), await db.AutoRenewAttempts.CountAsync(),
            await db.Lots.CountAsync(), await db.ScheduledEvents.CountAsync(), await db.Orders.CountAsync(),
        };
        var rows = await db.Wallets.AsNoTracking().Where(w => w.AccountId == accountId).OrderBy(w => w.Id).ToListAsync();
        return Json(wallets) + Json(counts) + Json(rows);
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);
}
