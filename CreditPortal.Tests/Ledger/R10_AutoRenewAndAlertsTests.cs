using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Ledger;

public sealed class R10_AutoRenewAndAlertsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(long Account, long List)> Bought10000(LedgerHarness h, bool autoRenew)
    {
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.BuyAsync(id, "email-10000");
        if (autoRenew)
            await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(AutoRenew: new Dictionary<Channel, bool> { [Channel.Email] = true }), LedgerHarness.Owner);
        return (id, list);
    }

    private static async Task<List<AlertKind>> Alerts(LedgerHarness h, long id)
        => (await h.Queries.GetAlertsAsync(id)).Items.OrderBy(a => a.Id).Select(a => a.Kind).ToList();

    [Fact]
    public async Task R10_AutoRenew_TriggersAtExactly10Percent_NotAbove()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000(h, autoRenew: true);

        await h.SendAsync(id, list, 8_999);     // 1,001 left: 10.01%
        await h.Scheduler.RunDueAsync();
        Assert.Equal(1_001, (await h.WalletAsync(id)).Total);

        await h.SendAsync(id, list, 1);         // 1,000 left: exactly 10%
        await h.Scheduler.RunDueAsync();

        var wallet = await h.WalletAsync(id);
        Assert.Equal(11_000, wallet.Total);
        Assert.Equal(2, wallet.Lots.Count(l => l.Kind == LotKind.Purchased));
        Assert.Equal([AlertKind.AutoRenewed], await Alerts(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R10_AutoRenew_BuysOnceEvenIfTheBalanceStaysLow()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000(h, autoRenew: true);
        await h.SendAsync(id, list, 9_500);
        await h.SendAsync(id, list, 100);
        await h.SendAsync(id, list, 100);
        await h.Scheduler.RunDueAsync();
        await h.Scheduler.RunDueAsync();
        Assert.Equal(10_300, (await h.WalletAsync(id)).Total);
        await using var db = h.Db();
        Assert.Equal(2, db.Orders.Count(o => o.AccountId == id && o.Status == OrderStatus.Paid));
    }

    [Fact]
    public async Task R10_AutoRenew_ADeclineAlertsTheContactsAndIsRetried()
    {
        var payments = new ScriptedPaymentProvider { DeclineAutoRenewals = 2 };
        await using var h = LedgerHarness.Start(Start, payments: _ => payments);
        var (id, list) = await Bought10000(h, autoRenew: true);

        await h.SendAsync(id, list, 9_000);
        await h.Scheduler.RunDueAsync();
        Assert.Equal([AlertKind.AutoRenewDeclined], await Alerts(h, id));
        Assert.Equal(1_000, (await h.WalletAsync(id)).Total);

        await h.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Single(await Alerts(h, id));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));     // first retry after 1 hour: declined again
        Assert.Equal([AlertKind.AutoRenewDeclined, AlertKind.AutoRenewDeclined], await Alerts(h, id));
        await h.AdvanceAsync(TimeSpan.FromHours(6));       // second retry after 6 more hours: pays
        Assert.Equal([AlertKind.AutoRenewDeclined, AlertKind.AutoRenewDeclined, AlertKind.AutoRenewed], await Alerts(h, id));
        Assert.Equal(11_000, (await h.WalletAsync(id)).Total);

        var detail = (await h.Queries.GetAlertsAsync(id)).Items.OrderBy(a => a.Id).First().Detail;
        Assert.Contains("declined", detail);
        Assert.Contains("try again", detail);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R10_AutoRenew_GivesUpAfterTheLastRetry()
    {
        var payments = new ScriptedPaymentProvider { DeclineAutoRenewals = 100 };
        await using var h = LedgerHarness.Start(Start, payments: _ => payments);
        var (id, list) = await Bought10000(h, autoRenew: true);
        await h.SendAsync(id, list, 9_500);
        await h.AdvanceAsync(TimeSpan.FromDays(5));
        Assert.Equal(4, (await Alerts(h, id)).Count(k => k == AlertKind.AutoRenewDeclined)); // first try + 3 retries
        Assert.Contains("not try again", (await h.Queries.GetAlertsAsync(id)).Items[0].Detail);
        Assert.Equal(500, (await h.WalletAsync(id)).Total);
    }

    [Fact]
    public async Task R10_Alerts_EachThresholdExactlyOnce_Inclusive()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000(h, autoRenew: false);

        await h.SendAsync(id, list, 8_499);     // 1,501: above 15%
        Assert.Empty(await Alerts(h, id));
        await h.SendAsync(id, list, 1);         // 1,500 of 10,000 is 15%: inclusive
        Assert.Equal([AlertKind.LowBalance15], await Alerts(h, id));
        await h.SendAsync(id, list, 100);       // still between 15% and 5%: nothing new
        Assert.Single(await Alerts(h, id));
        await h.SendAsync(id, list, 900);       // 500: exactly 5%
        await h.SendAsync(id, list, 499);       // 1
        Assert.Equal([AlertKind.LowBalance15, AlertKind.LowBalance5], await Alerts(h, id));
        await h.SendAsync(id, list, 1);         // 0
        await h.SendAsync(id, list, 1);         // rejected, still 0
        Assert.Equal([AlertKind.LowBalance15, AlertKind.LowBalance5, AlertKind.Depleted], await Alerts(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R10_Alerts_JumpingPastSeveralThresholds_SendsTheMostSevereOnce()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000(h, autoRenew: false);
        await h.SendAsync(id, list, 10_000);
        Assert.Equal([AlertKind.Depleted], await Alerts(h, id));
    }

    [Fact]
    public async Task R10_Alerts_ReArmAfterANewPurchase_AndGoToTheBillingContacts()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000(h, autoRenew: false);
        await h.SendAsync(id, list, 8_500);
        await h.BuyAsync(id, "email-10000");     // 11,500: above every threshold of the new purchase
        await h.SendAsync(id, list, 10_000);     // 1,500 = 15% of 10,000 again
        Assert.Equal([AlertKind.LowBalance15, AlertKind.LowBalance15], await Alerts(h, id));

        await using var db = h.Db();
        Assert.All(db.Alerts.Where(a => a.AccountId == id), a => Assert.Equal("billing@acme.test", a.Recipients));
    }

    [Fact]
    public async Task R10_Alerts_AreMailedToThePickupFolder()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000(h, autoRenew: false);
        await h.SendAsync(id, list, 10_000);

        var delivered = await h.Services.GetRequiredService<CreditPortal.Alerts.AlertMailer>().DeliverPendingAsync(default);

        Assert.Equal(1, delivered);
        var mail = Assert.Single(Directory.GetFiles(Path.Combine(h.Database.Folder, "App_Data", "mail-pickup"), "*.eml"));
        var text = await File.ReadAllTextAsync(mail);
        Assert.Contains("billing@acme.test", text);
        Assert.Contains("used up", text);
        Assert.NotNull((await h.Queries.GetAlertsAsync(id)).Items.Single().DeliveredAt);
    }

    [Fact]
    public async Task R10_WithoutAPurchase_ThereIsNothingToMeasureAgainst()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Domain");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 250);
        Assert.Empty(await Alerts(h, id));
    }
}
