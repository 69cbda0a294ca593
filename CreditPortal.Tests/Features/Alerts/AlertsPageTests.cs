using Bunit;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using AlertsPage = CreditPortal.Features.Alerts.Alerts;

namespace CreditPortal.Tests.Features.Alerts;

public sealed class AlertsPageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    [Fact]
    public async Task No_alerts_yet_says_so()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = RenderPage<AlertsPage>(account.Id);

        page.WaitForAssertion(() => Assert.Contains("No alerts yet.", page.Find("[data-testid=alerts]").TextContent));
        Assert.Empty(page.FindAll("tr.alert-row"));
    }

    [Fact]
    public async Task Every_alert_shows_its_time_in_the_account_s_zone_and_what_it_means()
    {
        var account = await CreateAccountAsync(timeZone: "Asia/Tokyo");
        var list = await Ledger.CreateListAsync(account.Id, "News", Owner);
        await Orders.OrderPackAsync(account.Id, "email-5000", TestPaymentProvider.PayingToken, "k1", Owner);
        // R10: 700 left of a 5,000 purchase is 14% → the 15% alert.
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 4_300, null, null, "s1"), Owner);
        Clock.Advance(TimeSpan.FromHours(3));
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 700, null, null, "s2"), Owner);
        SignInAsOwner(account);

        var page = RenderPage<AlertsPage>(account.Id);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.alert-row").Count));
        var rows = page.FindAll("tr.alert-row");
        // Newest first. 22 Nov 2026 12:00 UTC is 21:00 in Tokyo.
        Assert.Equal("Credits used up", rows[0].QuerySelector("[data-testid=alert-kind]")!.Text());
        Assert.Equal("22 Nov 2026, 21:00", rows[0].QuerySelector("[data-testid=alert-at]")!.Text());
        Assert.Contains("new sends are refused", rows[0].QuerySelector("[data-testid=alert-meaning]")!.Text());
        Assert.Equal("Low balance (15%)", rows[1].QuerySelector("[data-testid=alert-kind]")!.Text());
        Assert.Equal("22 Nov 2026, 18:00", rows[1].QuerySelector("[data-testid=alert-at]")!.Text());
        Assert.Contains("down to 700", rows[1].QuerySelector("[data-testid=alert-detail]")!.Text());
        Assert.Contains("15% of the last purchase or below", rows[1].QuerySelector("[data-testid=alert-meaning]")!.Text());
    }
}
