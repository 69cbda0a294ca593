using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>R7: Standard, Pro and Monthly are paid orders; plan credits once per wallet, plan and cycle; each new
/// cycle of a paid plan charges the saved card.</summary>
public sealed class R7_PaidPlansTests
{
    // 10 Nov 2026, 10:00 in Rome: the cycle 10 Nov → 10 Dec has 30 days.
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CycleEnd = new(2026, 12, 9, 23, 0, 0, TimeSpan.Zero);

    private static async Task<List<Lot>> PlanLotsAsync(LedgerHarness h, long id)
    {
        await using var db = h.Db();
        return await db.Lots.Where(l => l.AccountId == id && l.Kind == LotKind.Plan).OrderBy(l => l.Id).ToListAsync();
    }

    private static async Task<List<Order>> OrdersAsync(LedgerHarness h, long id, params OrderKind[] kinds)
    {
        await using var db = h.Db();
        return (await db.Orders.Where(o => o.AccountId == id).OrderBy(o => o.Id).ToListAsync()).Where(o => kinds.Contains(o.Kind)).ToList();
    }

    [Fact]
    public async Task R7_FreePacksFreeStandardPacksStandard_WithinOneCycle_OneGrantPerPlan_EachPaid()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();

        Assert.Null((await h.ChangePlanAsync(id, Channel.Email, Plan.Free)).Order);
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        await h.ChangePlanAsync(id, Channel.Email, Plan.Packs);
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        await h.ChangePlanAsync(id, Channel.Email, Plan.Free);                  // back on Free in the same cycle: nothing new
        Assert.Equal(15_000, (await h.WalletAsync(id)).Total);
        await h.AdvanceAsync(TimeSpan.FromDays(6));                             // 20 Nov: 20 of 30 days left

        var standard = (await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000)).Order!;
        Assert.Equal(OrderStatus.Paid, standard.Status);
        Assert.Equal(20.00m, standard.Price);                                   // 30.00 × 20/30: joined mid-cycle
        Assert.Equal(8_000, standard.Credits);                                  // 12,000 × 20/30
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        await h.ChangePlanAsync(id, Channel.Email, Plan.Packs);
        await h.AdvanceAsync(TimeSpan.FromDays(1));
        var back = await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000); // already paid this cycle: no order, no grant
        Assert.Null(back.Order);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(Plan.Standard, wallet.Plan);
        Assert.Equal(23_000, wallet.Total);
        var lots = await PlanLotsAsync(h, id);
        Assert.Equal(2, lots.Count);
        Assert.Equal(new long[] { 15_000, 8_000 }, lots.Select(l => l.Quantity));
        Assert.All(lots, l => Assert.Equal(CycleEnd, l.ExpiresAt));
        var paid = await OrdersAsync(h, id, OrderKind.Plan);
        Assert.Equal(standard.OrderId, Assert.Single(paid).Id);
        Assert.Equal(OrderStatus.Paid, paid[0].Status);
        Assert.Equal(paid[0].LotId, lots[1].Id);                                 // the Standard grant is the paid order's lot
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_ADeclinedPlanPayment_ChangesNothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.BuyAsync(id, "email-5000");
        var before = await h.WalletAsync(id);

        var result = await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000, token: TestPaymentProvider.DecliningToken);

        Assert.Equal(OrderStatus.Declined, result.Order!.Status);
        var after = await h.WalletAsync(id);
        Assert.Equal((Plan.Packs, 5_000L, (DateTimeOffset?)null), (after.Plan, after.Total, after.CycleEndsAt));
        Assert.Equal(before.Lots.Select(l => l.Id), after.Lots.Select(l => l.Id));
        Assert.Empty(await PlanLotsAsync(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_APaidPlanWithoutItsOrder_IsRefused_FreeStaysFree()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        foreach (var (plan, subscribers, tier) in new[] { (Plan.Standard, (long?)1_000, (long?)null), (Plan.Pro, 1_000, null), (Plan.Monthly, null, 10_000) })
        {
            var refused = await Assert.ThrowsAsync<LedgerRuleException>(() => h.Ledger.ChangePlanAsync(id, Channel.Email, plan, subscribers, tier, LedgerHarness.Owner));
            Assert.Equal("payment_required", refused.Code);
        }
        Assert.Equal(Plan.Packs, (await h.WalletAsync(id)).Plan);

        var free = await h.Orders.QuotePlanAsync(id, Channel.Email, Plan.Free, null, null);
        Assert.False(free.NeedsPayment);
        Assert.Null((await h.ChangePlanAsync(id, Channel.Email, Plan.Free)).Order);
        Assert.Empty(await OrdersAsync(h, id, OrderKind.Plan));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_Pro_IsPricedFromItsOwnTierTable_AndChargedBeforeItStarts()
    {
        await using var h = LedgerHarness.Start(Start);
        var pricing = new PlanPricing(h.Options);
        Assert.Equal(39.00m, pricing.ProPrice(500));
        Assert.Equal(69.00m, pricing.ProPrice(501));
        Assert.Equal(69.00m, pricing.ProPrice(2_500));
        Assert.Equal(109.00m, pricing.ProPrice(5_000));
        Assert.Equal(179.00m, pricing.ProPrice(10_000));
        Assert.Equal(329.00m, pricing.ProPrice(25_000));
        Assert.Equal(390.00m, pricing.ProPrice(30_000));                       // 30,000 × 0.013

        var id = await h.CreateAccountAsync();
        var pro = (await h.ChangePlanAsync(id, Channel.Email, Plan.Pro, 3_000)).Order!;
        Assert.Equal((OrderStatus.Paid, 109.00m, 0L), (pro.Status, pro.Price, pro.Credits));
        Assert.Equal(Plan.Pro, (await h.WalletAsync(id)).Plan);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_TheSubscriberCountIsBoundedByConfiguration()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var tooMany = await Assert.ThrowsAsync<LedgerValidationException>(() => h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000_001));
        Assert.Equal("subscriberCount", tooMany.Field);
        Assert.Contains("1,000,000", tooMany.Message);
        var most = await h.Orders.QuotePlanAsync(id, Channel.Email, Plan.Standard, 1_000_000, null);
        Assert.Equal((6_000.00m, 12_000_000L), (most.Price, most.Credits));

        await using var small = LedgerHarness.Start(Start, o => o.MaxSubscriberCount = 2_000);
        var other = await small.CreateAccountAsync();
        await Assert.ThrowsAsync<LedgerValidationException>(() => small.ChangePlanAsync(other, Channel.Email, Plan.Pro, 2_001));
        Assert.Equal(Plan.Packs, (await small.WalletAsync(other)).Plan);
    }

    [Fact]
    public async Task R7_EachNewCycle_ChargesTheSavedCard_ThenGrantsTheCycle()
    {
        var payments = new ScriptedPaymentProvider();
        await using var h = LedgerHarness.Start(Start, payments: _ => payments);
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000);

        await h.AdvanceToAsync(CycleEnd);

        var renewal = Assert.Single(await OrdersAsync(h, id, OrderKind.PlanRenewal));
        Assert.Equal((OrderStatus.Paid, 30.00m, 12_000L), (renewal.Status, renewal.Price, renewal.Credits));
        Assert.Equal(TestPaymentProvider.PayingToken, renewal.PaymentToken);
        var lot = (await PlanLotsAsync(h, id)).Last();
        Assert.Equal((12_000L, renewal.LotId), (lot.Quantity, (long?)lot.Id));
        Assert.Equal(new DateTimeOffset(2027, 1, 9, 23, 0, 0, TimeSpan.Zero), lot.ExpiresAt);
        Assert.Contains((await h.Queries.GetAlertsAsync(id)).Items, a => a.Kind == AlertKind.AutoRenewed && a.Detail.Contains("Standard plan"));
        Assert.Equal(2, payments.Charges);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_ARenewalDeclined_AlertsAndIsRetried_ThenTheCycleIsFree()
    {
        var payments = new ScriptedPaymentProvider { DeclinePlanRenewals = 100 };
        await using var h = LedgerHarness.Start(Start, payments: _ => payments);
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000);

        await h.AdvanceToAsync(CycleEnd);
        var wallet = await h.WalletAsync(id);
        Assert.Equal((Plan.Standard, 0L), (wallet.Plan, wallet.Total));            // no credits before the money
        await h.AdvanceToAsync(CycleEnd + TimeSpan.FromHours(7));                  // retries after 1 h and 6 h more
        Assert.Equal(3, (await h.Queries.GetAlertsAsync(id)).Items.Count(a => a.Kind == AlertKind.AutoRenewDeclined));
        Assert.Equal(Plan.Standard, (await h.WalletAsync(id)).Plan);

        await h.AdvanceToAsync(CycleEnd + TimeSpan.FromHours(31));                 // the last retry, 24 h later
        var alerts = (await h.Queries.GetAlertsAsync(id)).Items.Where(a => a.Kind == AlertKind.AutoRenewDeclined).ToList();
        Assert.Equal(4, alerts.Count);                                             // first try + 3 retries, one email each
        Assert.Contains(alerts, a => a.Detail.Contains("Free plan"));
        wallet = await h.WalletAsync(id);
        Assert.Equal(Plan.Free, wallet.Plan);
        var free = Assert.Single(wallet.Lots);
        Assert.Equal((15_000L, wallet.CycleEndsAt), (free.Quantity, free.ExpiresAt));
        Assert.All(await OrdersAsync(h, id, OrderKind.PlanRenewal), o => Assert.Equal(OrderStatus.Declined, o.Status));
        Assert.Equal(12_000, (await PlanLotsAsync(h, id)).Where(l => l.Source.StartsWith("Standard")).Sum(l => l.Quantity)); // only the paid cycle
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_ARenewalRetryThatPays_GrantsTheCycleOnce()
    {
        var payments = new ScriptedPaymentProvider { DeclinePlanRenewals = 1 };
        await using var h = LedgerHarness.Start(Start, payments: _ => payments);
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Monthly, monthlyCredits: 10_000);

        await h.AdvanceToAsync(CycleEnd + TimeSpan.FromHours(2));

        var renewals = await OrdersAsync(h, id, OrderKind.PlanRenewal);
        Assert.Equal(new[] { OrderStatus.Declined, OrderStatus.Paid }, renewals.Select(o => o.Status));
        var wallet = await h.WalletAsync(id);
        Assert.Equal((Plan.Monthly, 10_000L), (wallet.Plan, wallet.Total));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_RenewalsRunExactlyOnce_AcrossARestartAndACatchUp()
    {
        var payments = new ScriptedPaymentProvider();
        await using var h = LedgerHarness.Start(Start, payments: _ => payments);
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000);

        // The process was down over the cycle end: the renewal runs once when it is back, dated at the cycle end.
        h.Clock.MoveTo(CycleEnd + TimeSpan.FromDays(3));
        await h.RestartAsync();
        await h.Scheduler.RunDueAsync();
        await h.RestartAsync();
        await h.Scheduler.RunDueAsync();

        var renewal = Assert.Single(await OrdersAsync(h, id, OrderKind.PlanRenewal));
        Assert.Equal((OrderStatus.Paid, (DateTimeOffset?)CycleEnd), (renewal.Status, renewal.CompletedAt));
        Assert.Equal(2, payments.Charges);
        Assert.Equal(2, (await PlanLotsAsync(h, id)).Count);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_AMidCycleDowngrade_KeepsThePlanCreditsUntilTheCycleEnd()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.BuyAsync(id, "email-5000");
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 2_000);                                        // R1: the pack first, then the plan lot

        await h.ChangePlanAsync(id, Channel.Email, Plan.Packs);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(Plan.Packs, wallet.Plan);
        Assert.Equal(15_000, wallet.Total);
        var planLot = wallet.Lots.Single(l => l.Kind == LotKind.Plan);
        Assert.Equal((12_000L, (DateTimeOffset?)CycleEnd), (planLot.Remaining, planLot.ExpiresAt));
        await h.AdvanceToAsync(CycleEnd);
        wallet = await h.WalletAsync(id);
        Assert.Equal(3_000, wallet.Total);                                         // the plan credits expired; Packs renews nothing
        Assert.Empty(await OrdersAsync(h, id, OrderKind.PlanRenewal));
        await h.AssertLedgerConsistentAsync();
    }
}
