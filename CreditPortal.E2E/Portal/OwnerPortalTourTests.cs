using CreditPortal.E2E.Infrastructure;
using CreditPortal.Ledger;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>The demo owner walks through every page of their portal (screenshots of each in artifacts/screenshots/).</summary>
public sealed class OwnerPortalTourTests(BrowserFixture browser, DemoAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Every_page_of_the_owner_s_portal_shows_the_demo_account()
    {
        var id = await DemoAccount.IdAsync(App);
        var email = await DemoAccount.WalletAsync(App, Channel.Email);
        var sms = await DemoAccount.WalletAsync(App, Channel.Sms);
        var promotionsSent = await DemoAccount.SentThisMonthAsync(App, "Promotions", Channel.Email);
        var promotionsCap = await DemoAccount.CapAsync(App, "Promotions", Channel.Email);
        var careBudget = await DemoAccount.AssignedAsync(App, "Customer care", Channel.Email);
        await LoginAsOwnerAsync();

        await GotoAsync($"accounts/{id}/balance", "balance");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Balance");
        // What the demo's thirteen months left in the lots; Customer care holds an email budget of its own.
        await Expect(Page.Figure("wallet-Email", "total")).ToHaveTextAsync(DemoAccount.Format(email.Total));
        await Expect(Page.Figure("wallet-Email", "unassigned")).ToHaveTextAsync(DemoAccount.Format(email.Unassigned));
        Assert.NotEqual(email.Total, email.Unassigned);
        await Expect(Page.Figure("wallet-Sms", "total")).ToHaveTextAsync(DemoAccount.Format(sms.Total));
        // Ticketing 2,500 + WebHosting 1,000 + Domain 250 (support added WebHosting during the year).
        await Page.Locator("[data-testid=wallet-Email] [data-testid=details]").ClickAsync();
        await Expect(Page.GetByTestId("quota-total")).ToHaveTextAsync("3,750");
        await Expect(Page.Locator("[data-testid=wallet-Email] [data-testid=forecast]")).ToContainTextAsync("credits run out around");

        await GotoAsync($"accounts/{id}/get-sendings", "get-sendings");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Get Sendings");
        await Expect(Page.Locator("[data-testid=catalog-Sms] [data-testid=sms-reach]").First).ToHaveTextAsync("1,000 to DE, ES, FR, GB, IT · 500 to US · 333 to BR");

        await GotoAsync($"accounts/{id}/lists", "lists");
        Assert.True(promotionsSent > 0 && promotionsCap > promotionsSent);
        await Expect(Page.ListRow("Promotions").GetByTestId("cap-Email"))
            .ToHaveTextAsync($"{DemoAccount.Format(promotionsSent)} of {DemoAccount.Format(promotionsCap!.Value)} a month");
        await Expect(Page.ListRow("Customer care").GetByTestId("allocation-Email")).ToHaveTextAsync($"Assigned: {DemoAccount.Format(careBudget)} credits");

        await GotoAsync($"accounts/{id}/plans", "plans");
        await Expect(Page.Locator("[data-testid=plan-Email] [data-testid=current-plan]")).ToContainTextAsync("Current plan: Packs.");

        await GotoAsync($"accounts/{id}/settings", "settings");
        await Expect(Page.Locator("textarea[name=settings-billing-contacts]")).ToHaveValueAsync("billing@demo.creditportal.local");
        await Expect(Page.Locator("input[name=settings-time-zone]")).ToHaveValueAsync("Europe/Rome");

        await GotoAsync($"accounts/{id}/alerts", "alerts");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Alerts");

        await GotoAsync($"accounts/{id}/api-keys", "api-keys");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API keys");
        // The keys of the demo's three sending systems.
        await Expect(Page.GetByTestId("api-keys")).ToContainTextAsync("Newsletter engine");
        await Expect(Page.GetByTestId("api-keys")).ToContainTextAsync("SMS gateway");

        // The navigation links every section that exists, for the owner's own account.
        foreach (var section in new[] { "Balance", "Get Sendings", "Lists", "Plans", "Alerts", "Settings", "API keys" })
            await Expect(Page.Navigation().GetByText(section, new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Another_account_s_page_is_not_found_for_the_owner()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        Errors.Allow(new System.Text.RegularExpressions.Regex(@"Failed to load resource: the server responded with a status of 404"),
            "the page of an account that is not the owner's answers 404 by design; this test asks for one");

        var response = await GotoAsync($"accounts/{id + 1000}/balance", "other-account");

        Assert.Equal(404, response!.Status);
        await Expect(Page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("balance")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_list_is_created_with_the_keyboard_alone()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/lists", "lists");

        var name = Page.Locator("input[name=new-list-name]");
        await Expect(name).ToBeEnabledAsync();
        await name.FocusAsync();
        await Page.Keyboard.TypeAsync("Keyboard list");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.ListRow("Keyboard list")).ToBeVisibleAsync();
        await Expect(name).ToHaveValueAsync("");
        await ScreenshotAsync("created");
    }
}
