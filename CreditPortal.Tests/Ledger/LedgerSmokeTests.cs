using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class LedgerSmokeTests
{
    [Fact]
    public async Task Account_gets_its_free_quota_and_a_purchase_adds_a_lot()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Ticketing", "Domain");
        var wallet = await h.WalletAsync(id);
        Assert.Equal(2_750, wallet.Total);
        Assert.Equal(2_750, wallet.Unassigned);

        var order = await h.BuyAsync(id, "email-10000");
        Assert.Equal(OrderStatus.Paid, order.Status);
        wallet = await h.WalletAsync(id);
        Assert.Equal(12_750, wallet.Total);

        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var sent = await h.SendAsync(id, list, 3_000);
        Assert.Equal(ConsumptionStatus.Accepted, sent.Status);
        wallet = await h.WalletAsync(id);
        Assert.Equal(9_750, wallet.Total);
        Assert.Equal(3_000, wallet.Lists.Single().SentThisMonth);
        await h.AssertLedgerConsistentAsync();
    }
}
