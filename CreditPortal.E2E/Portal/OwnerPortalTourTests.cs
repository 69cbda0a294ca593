using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>The demo owner walks through every page of their portal (screenshots of each in artifacts/screenshots/).</summary>
public sealed class OwnerPortalTourTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Every_page_of_the_owner_s_portal_shows_the_demo_account()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();

        await GotoAsync($"accounts/{id}/balance", "balance");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Balance");
        // Demo seed: 2,750 free (Ticketing + Domain) + 10,000 bought − 4,040 sent; Transactional keeps 1,660 of its 2,000.
        await Expect(Page.Figure("wallet-Email", "total")).ToHaveTextAsync("8,710");
        await Expect(Page.Figure("wallet-Email", "unassigned")).ToHaveTextAsync("7,050");
        await Expect(Page.Figure("wallet-Sms", "total")).ToHaveTextAsync("940");
        await Page.Locator("[data-testid=wallet-Email] [data-testid=details]").ClickAsync();
        await Expect(Page.GetByTestId("quota-total")).ToHaveTextAsync("2,750");
        await Expect(Page.Locator("[data-testid=wallet-Email] [data-testid=forecast]")).ToContainTextAsync("credits run out around");

        await GotoAsync($"accounts/{id}/get-sendings", "get-sendings");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Get Sendings");
        await Expect(Page.Locator("[data-testid=catalog-Sms] [data-testid=sms-reach]").First).ToHaveTextAsync("1,000 to DE, ES, FR, GB, IT · 500 to US · 333 to BR");

        await GotoAsync($"accounts/{id}/lists", "lists");
        await Expect(Page.ListRow("Promotions").GetByTestId("cap-Email")).ToHaveTextAsync("2,500 of 3,000 a month");
        await Expect(Page.ListRow("Transactional").GetByTestId("allocation-Email")).ToHaveTextAsync("Assigned: 1,660 credits");

        await GotoAsync($"accounts/{id}/plans", "plans");
        await Expect(Page.Locator("[data-testid=plan-Email] [data-testid=current-plan]")).ToContainTextAsync("Current plan: Packs.");

        await GotoAsync($"accounts/{id}/settings", "settings");
        await Expect(Page.Locator("textarea[name=settings-billing-contacts]")).ToHaveValueAsync("billing@demo.creditportal.local");
        await Expect(Page.GetByTestId("settings-time-zone")).ToContainTextAsync("Europe/Rome");

        await GotoAsync($"accounts/{id}/alerts", "alerts");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Alerts");

        await GotoAsync($"accounts/{id}/api-keys", "api-keys");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API keys");
        await Expect(Page.GetByTestId("api-keys")).ToContainTextAsync("No API keys yet.");

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
