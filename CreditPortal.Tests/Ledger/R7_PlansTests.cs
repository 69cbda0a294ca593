using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R7_PlansTests
{
    // 10 Nov 2026, 10:00 in Rome.
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task R7_FreePlan_15000PerCycle_AsAPlanLotExpiringAtTheCycleEnd()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Free, null, null, LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(Plan.Free, wallet.Plan);
        var lot = Assert.Single(wallet.Lots);
        Assert.Equal(LotKind.Plan, lot.Kind);
        Assert.Equal(15_000, lot.Quantity);
        // Cycle: 10 Nov → 10 Dec 00:00 in Rome.
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 23, 0, 0, TimeSpan.Zero), lot.ExpiresAt);
        Assert.Equal(lot.ExpiresAt, wallet.CycleEndsAt);

        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 1_000);
        await h.AdvanceToAsync(lot.ExpiresAt!.Value);

        wallet = await h.WalletAsync(id);
        var next = Assert.Single(wallet.Lots);
        Assert.Equal(15_000, next.Remaining);
        Assert.Equal(new DateTimeOffset(2027, 1, 9, 23, 0, 0, TimeSpan.Zero), next.ExpiresAt);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_FreePlan_DailyLimitOf2000SendsPerLocalDay()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Free, null, null, LedgerHarness.Owner);
        var a = await h.Ledger.CreateListAsync(id, "A", LedgerHarness.Owner);
        var b = await h.Ledger.CreateListAsync(id, "B", LedgerHarness.Owner);

        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, a, 1_500)).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, b, 500)).Status);
        var refused = await h.SendAsync(id, a, 1);
        Assert.Equal(ConsumptionReasons.DailyLimit, refused.Reason);

        // 23:59 local is still the same day; 00:00 local is a new one.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 10, 22, 59, 0, TimeSpan.Zero));
        Assert.Equal(ConsumptionReasons.DailyLimit, (await h.SendAsync(id, a, 1)).Reason);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 10, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, a, 2_000)).Status);
        Assert.Equal(2_000, (await h.WalletAsync(id)).SentToday);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_StandardPlan_12CreditsPerSubscriber_PricedByTier()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000, null);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(12_000, wallet.Lots.Single(l => l.Kind == LotKind.Plan).Quantity);

        var pricing = new PlanPricing(h.Options);
        Assert.Equal(16.00m, pricing.StandardPrice(500));
        Assert.Equal(30.00m, pricing.StandardPrice(501));
        Assert.Equal(30.00m, pricing.StandardPrice(2_500));
        Assert.Equal(50.00m, pricing.StandardPrice(5_000));
        Assert.Equal(80.00m, pricing.StandardPrice(10_000));
        Assert.Equal(150.00m, pricing.StandardPrice(25_000));
        Assert.Equal(150.01m, pricing.StandardPrice(25_001)); // 25,001 × 0.006 = 150.006 → 150.01
        Assert.Equal(180.00m, pricing.StandardPrice(30_000));
    }

    [Fact]
    public async Task R7_ProPlan_IsAlwaysAcceptedAndStillRecorded()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Pro, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var sent = await h.SendAsync(id, list, 1_000_000);

        Assert.Equal(ConsumptionStatus.Accepted, sent.Status);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        var page = await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null);
        Assert.Equal(1_000_000, page.Items.Single().Credits);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_PacksToMonthly_IsOneWay_AndPackCreditsStayUsable()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.BuyAsync(id, "email-5000");

        await h.ChangePlanAsync(id, Channel.Email, Plan.Monthly, null, 50_000);

        var wallet = await h.WalletAsync(id);
        Assert.True(wallet.MonthlyLocked);
        Assert.Equal(55_000, wallet.Total);
        Assert.Contains(wallet.Lots, l => l.Kind == LotKind.Purchased && l.Remaining == 5_000);
        foreach (var back in new[] { Plan.Packs, Plan.Free, Plan.Standard, Plan.Pro })
        {
            var refused = await Assert.ThrowsAsync<LedgerRuleException>(() =>
                h.Ledger.ChangePlanAsync(id, Channel.Email, back, 100, null, LedgerHarness.Owner));
            Assert.Equal("plan_switch_irreversible", refused.Code);
        }
        // Another Monthly tier is still allowed, from the next cycle.
        await h.ChangePlanAsync(id, Channel.Email, Plan.Monthly, null, 125_000);
        wallet = await h.WalletAsync(id);
        Assert.Equal(50_000, wallet.MonthlyCredits);
        await h.AdvanceToAsync(wallet.CycleEndsAt!.Value);
        wallet = await h.WalletAsync(id);
        Assert.Equal(125_000, wallet.MonthlyCredits);
        Assert.Equal(125_000, wallet.Lots.Single(l => l.Kind == LotKind.Plan).Quantity);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_AMonthlyTierMustBeOneOfTheConfiguredTiers()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var error = await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.ChangePlanAsync(id, Channel.Email, Plan.Monthly, null, 12_345));
        Assert.Equal("monthlyCredits", error.Field);
        Assert.Equal(Plan.Packs, (await h.WalletAsync(id)).Plan);
    }

    [Fact]
    public async Task R7_LeavingAPlan_KeepsItsCreditsToTheCycleEnd_AndTheCycleKeepsCounting()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.BuyAsync(id, "email-5000");
        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Free, null, null, LedgerHarness.Owner);
        Assert.Equal(20_000, (await h.WalletAsync(id)).Total);

        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Packs, null, null, LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(20_000, wallet.Total);
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 23, 0, 0, TimeSpan.Zero), wallet.CycleEndsAt);
        await h.AdvanceToAsync(wallet.CycleEndsAt!.Value);
        wallet = await h.WalletAsync(id);
        Assert.Equal(5_000, wallet.Total);                         // the Free lot expired; Packs grants nothing
        Assert.Equal(new DateTimeOffset(2027, 1, 9, 23, 0, 0, TimeSpan.Zero), wallet.CycleEndsAt);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R7_ACycleStartedOnThe31st_EndsOnTheLastDayOfShorterMonths_AndReturnsToThe31st()
    {
        // 31 Jan 2027, 10:00 in Rome.
        await using var h = LedgerHarness.Start(new DateTimeOffset(2027, 1, 31, 9, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync();
        await h.Ledger.ChangePlanAsync(id, Channel.Email, Plan.Free, null, null, LedgerHarness.Owner);

        var rome = new Clock.AccountCalendar("Europe/Rome");
        Assert.Equal(rome.StartOfDay(new DateOnly(2027, 2, 28)), (await h.WalletAsync(id)).CycleEndsAt);
        await h.AdvanceToAsync(rome.StartOfDay(new DateOnly(2027, 2, 28)));
        Assert.Equal(rome.StartOfDay(new DateOnly(2027, 3, 31)), (await h.WalletAsync(id)).CycleEndsAt);
        await h.AdvanceToAsync(rome.StartOfDay(new DateOnly(2027, 3, 31)));
        Assert.Equal(rome.StartOfDay(new DateOnly(2027, 4, 30)), (await h.WalletAsync(id)).CycleEndsAt);
        await using var db = h.Db();
        Assert.Equal(3, db.Lots.Count(l => l.AccountId == id && l.Kind == LotKind.Plan));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public void R7_BillingCycle_CountsFromTheAnchor_On29February()
    {
        var anchor = new DateOnly(2028, 2, 29);
        Assert.Equal(new DateOnly(2028, 3, 29), BillingCycle.EndDate(anchor, 0));
        Assert.Equal(new DateOnly(2029, 2, 28), BillingCycle.EndDate(anchor, 11));
        Assert.Equal(new DateOnly(2029, 3, 29), BillingCycle.EndDate(anchor, 12));
        Assert.Equal(29, BillingCycle.DaysIn(anchor, 0));
    }
}
