using CreditPortal.Clock;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R3_PacksTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task R3_EmailPacksNeverExpire()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var order = await h.BuyAsync(id, "email-5000");

        Assert.Equal(OrderStatus.Paid, order.Status);
        var lot = (await h.WalletAsync(id)).Lots.Single(l => l.Id == order.LotId);
        Assert.Equal(LotKind.Purchased, lot.Kind);
        Assert.Equal(5_000, lot.Quantity);
        Assert.Null(lot.ExpiresAt);
        Assert.Equal(10.00m, order.Price);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R3_SmsPackExpiresAtLocalMidnightOfThePurchaseDateTwoYearsOn()
    {
        await using var h = LedgerHarness.Start(Start); // 16:30 in Rome on 10 Nov 2026
        var id = await h.CreateAccountAsync();
        var order = await h.BuyAsync(id, "sms-1000");

        var lot = (await h.WalletAsync(id, Channel.Sms)).Lots.Single();
        // 10 Nov 2028 00:00 in Rome (CET, UTC+1).
        Assert.Equal(new DateTimeOffset(2028, 11, 9, 23, 0, 0, TimeSpan.Zero), lot.ExpiresAt);
        Assert.Equal(order.LotId, lot.Id);
    }

    [Fact]
    public void R3_PurchaseOn29February_ExpiresOn28February()
    {
        var rome = new AccountCalendar("Europe/Rome");
        var leapDay = new DateTimeOffset(2028, 2, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(rome.StartOfDay(new DateOnly(2030, 2, 28)), SmsExpiry.For(leapDay, rome, 24));
        // Late on 28 Feb UTC is already 29 Feb in Rome: the local date decides.
        var lateUtc = new DateTimeOffset(2028, 2, 28, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(rome.StartOfDay(new DateOnly(2030, 2, 28)), SmsExpiry.For(lateUtc, rome, 24));
    }

    [Fact]
    public async Task R3_BuyingASmsPackOn29February_LotExpiresOn28February()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2028, 2, 29, 9, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync();
        await h.BuyAsync(id, "sms-1000");
        var lot = (await h.WalletAsync(id, Channel.Sms)).Lots.Single();
        Assert.Equal(new DateTimeOffset(2030, 2, 27, 23, 0, 0, TimeSpan.Zero), lot.ExpiresAt);
    }

    [Fact]
    public async Task R3_ANewSmsPackExtendsEveryUnexpiredSmsLot()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var first = await h.BuyAsync(id, "sms-1000");
        var adjustment = await h.GrantAsync(id, 300, Start.AddDays(40), Channel.Sms);
        var forever = await h.GrantAsync(id, 50, null, Channel.Sms);

        await h.AdvanceToAsync(Start.AddDays(30));
        var second = await h.BuyAsync(id, "sms-5000");

        var lots = (await h.WalletAsync(id, Channel.Sms)).Lots.ToDictionary(l => l.Id);
        var newExpiry = lots[second.LotId!.Value].ExpiresAt;
        Assert.Equal(new DateTimeOffset(2028, 12, 9, 23, 0, 0, TimeSpan.Zero), newExpiry);
        Assert.Equal(newExpiry, lots[first.LotId!.Value].ExpiresAt);
        Assert.Equal(newExpiry, lots[adjustment].ExpiresAt);
        Assert.Null(lots[forever].ExpiresAt);

        await using var db = h.Db();
        Assert.Equal(2, db.LedgerEntries.Count(e => e.AccountId == id && e.Kind == LedgerEntryKind.ExpiryExtended));

        // The adjustment would have expired after 40 days; it no longer does.
        await h.AdvanceToAsync(Start.AddDays(41));
        Assert.Equal(6_350, (await h.WalletAsync(id, Channel.Sms)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R3_ADeclinedPaymentSaysSoAndChangesNothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var before = await h.WalletAsync(id);

        var order = await h.BuyAsync(id, "email-10000", TestPaymentProvider.DecliningToken);

        Assert.Equal(OrderStatus.Declined, order.Status);
        Assert.Null(order.LotId);
        Assert.Equal("card_declined", order.DeclineReason);
        var after = await h.WalletAsync(id);
        Assert.Equal(before.Total, after.Total);
        Assert.Equal(before.Lots.Count, after.Lots.Count);
        Assert.Null(after.LastPurchasePackId);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R3_AnOrderRetriedWithTheSameKeyBuysOnce_ADifferentBodyIsAConflict()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();

        var first = await h.BuyAsync(id, "email-5000", key: "order-1");
        var retry = await h.BuyAsync(id, "email-5000", key: "order-1");
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => h.BuyAsync(id, "email-5000", key: "order-1")));

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.OrderId, retry.OrderId);
        Assert.All(parallel, r => Assert.Equal(first.OrderId, r.OrderId));
        Assert.Equal(5_000, (await h.WalletAsync(id)).Total);
        await Assert.ThrowsAsync<IdempotencyConflictException>(() => h.BuyAsync(id, "email-10000", key: "order-1"));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public void R3_NoTransferAndNoRefundExist()
    {
        // Credits are not transferable or refundable: the service layer offers no such operation at all.
        var operations = typeof(CreditLedger).GetMethods().Concat(typeof(OrderService).GetMethods()).Select(m => m.Name).ToList();
        Assert.DoesNotContain(operations, n => n.Contains("Transfer", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(operations, n => n.Contains("Refund", StringComparison.OrdinalIgnoreCase));
    }
}
