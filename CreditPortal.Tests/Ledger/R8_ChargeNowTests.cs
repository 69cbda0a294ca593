using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R8_ChargeNowTests
{
    [Fact]
    public void R8_Formula_PriceByDaysLeft_CreditsByWeeksLeft()
    {
        // 30.00 a cycle of 31 days, 11 days left: 30 × 11 / 31 = 10.645… → 10.65; weeks left ceil(11/7) = 2.
        var quote = ChargeNowQuote.Compute(30.00m, 12_000, daysLeft: 11, daysInCycle: 31);
        Assert.Equal(10.65m, quote.Price);
        Assert.Equal(2, quote.WeeksLeft);
        Assert.Equal(6_000, quote.Credits);
    }

    [Theory]
    [InlineData(1, 1, 12_000)]
    [InlineData(7, 1, 12_000)]
    [InlineData(8, 2, 6_000)]
    [InlineData(30, 5, 2_400)]
    [InlineData(31, 5, 2_400)]
    public void R8_WeeksLeftIsCeilingOfDaysOver7_AtLeastOne(int daysLeft, int weeks, long credits)
    {
        var quote = ChargeNowQuote.Compute(30.00m, 12_000, daysLeft, 31);
        Assert.Equal(weeks, quote.WeeksLeft);
        Assert.Equal(credits, quote.Credits);
    }

    [Fact]
    public void R8_CreditsRoundDown_MoneyRoundsToCents()
    {
        var quote = ChargeNowQuote.Compute(16.00m, 1_000, daysLeft: 20, daysInCycle: 30); // weeks 3: 333.33 → 333
        Assert.Equal(333, quote.Credits);
        Assert.Equal(10.67m, quote.Price); // 10.666… → 10.67
    }

    [Fact]
    public async Task R8_ChargeNow_OnStandard_AddsARefillLotExpiringAtTheCycleEnd()
    {
        // Cycle 10 Nov → 10 Dec (30 days); on 20 Nov there are 20 days left, 3 weeks.
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000, null);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

        var quote = await h.Ledger.QuoteChargeNowAsync(id, Channel.Email);
        Assert.Equal((20, 3, 30), (quote.DaysLeft, quote.WeeksLeft, quote.DaysInCycle));
        Assert.Equal(20.00m, quote.Price);   // 30.00 × 20/30
        Assert.Equal(4_000, quote.Credits);   // 12,000 / 3

        var order = await h.Orders.ChargeNowAsync(id, Channel.Email, TestPaymentProvider.PayingToken, "refill-1", LedgerHarness.Owner);
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Equal(20.00m, order.Price);
        var wallet = await h.WalletAsync(id);
        var refill = wallet.Lots.Single(l => l.Kind == LotKind.Refill);
        Assert.Equal(4_000, refill.Quantity);
        Assert.Equal(wallet.CycleEndsAt, refill.ExpiresAt);

        await h.AdvanceToAsync(wallet.CycleEndsAt!.Value);
        Assert.DoesNotContain((await h.WalletAsync(id)).Lots, l => l.Kind == LotKind.Refill);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R8_ASubscriberCountChangedMidCycle_PricesFromTheNextCycle()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync();
        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 1_000, null);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

        await h.ChangePlanAsync(id, Channel.Email, Plan.Standard, 3_000, null);

        var quote = await h.Ledger.QuoteChargeNowAsync(id, Channel.Email);
        Assert.Equal((20.00m, 4_000L), (quote.Price, quote.Credits));   // still 1,000 subscribers this cycle
        var wallet = await h.WalletAsync(id);
        Assert.Equal(12_000, wallet.Lots.Single(l => l.Kind == LotKind.Plan).Quantity);
        await h.AdvanceToAsync(wallet.CycleEndsAt!.Value);
        wallet = await h.WalletAsync(id);
        Assert.Equal(3_000, wallet.SubscriberCount);
        Assert.Equal(36_000, wallet.Lots.Single(l => l.Kind == LotKind.Plan).Quantity);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R8_ChargeNow_IsOnlyForStandard()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync();
        var error = await Assert.ThrowsAsync<LedgerRuleException>(() => h.Ledger.QuoteChargeNowAsync(id, Channel.Email));
        Assert.Equal("charge_now_unavailable", error.Code);
        error = await Assert.ThrowsAsync<LedgerRuleException>(() =>
            h.Orders.ChargeNowAsync(id, Channel.Email, TestPaymentProvider.PayingToken, "refill-1", LedgerHarness.Owner));
        Assert.Equal("charge_now_unavailable", error.Code);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
    }
}
