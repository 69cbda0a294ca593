using System.Text.RegularExpressions;
using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>The Balance page (the reference MudBlazor page) on a desktop and on a phone, with axe-core on both.</summary>
public sealed class BalanceBrowserTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Details_open_the_free_monthly_credits_and_get_sendings_leads_to_ordering_that_channel()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/balance", "balance");
        await AssertAccessibleAsync("balance");

        var details = Page.Locator("[data-testid=wallet-Email] [data-testid=details]");
        await Expect(Page.GetByTestId("free-quota")).ToHaveCountAsync(0);
        await details.ClickAsync();
        await Expect(details).ToHaveAttributeAsync("aria-expanded", "true");
        // Demo seed: Ticketing 2,500 + WebHosting 1,000 + Domain 250 (support added WebHosting during the year).
        await Expect(Page.GetByTestId("free-quota").Locator("tr.quota-row")).ToHaveCountAsync(3);
        await Expect(Page.GetByTestId("quota-total")).ToHaveTextAsync("3,750");
        await ScreenshotAsync("details-open");
        await AssertAccessibleAsync("balance with details");

        await Page.Locator("[data-testid=wallet-Sms] [data-testid=get-sendings]").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($@"/accounts/{id}/get-sendings\?channel=Sms$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Get Sendings");
    }

    [Fact]
    public async Task On_a_phone_the_tables_stack_the_page_fits_and_the_user_menu_is_reachable()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await UsePhoneAsync();
        await GotoAsync($"accounts/{id}/balance", "balance-phone");

        // Below MudBlazor's small breakpoint a table is a stack of cards: no header row, each cell labelled.
        var lists = Page.Locator("[data-testid=wallet-Email] [data-testid=lists]");
        await Expect(lists.Locator("thead tr")).ToBeHiddenAsync();
        await Expect(lists.Locator("tr.list-row td[data-label='Monthly limit']").First).ToBeVisibleAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("balance on a phone");

        // The navigation is a drawer that the toggle opens over the page.
        await Expect(Page.Navigation()).Not.ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));
        await Page.GetByTestId("sidebar-toggle").ClickAsync();
        await Expect(Page.Navigation().GetByText("Lists", new() { Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync("navigation-phone");
        await Page.Keyboard.PressAsync("Escape");
        await Page.GetByTestId("sidebar-toggle").ClickAsync(new() { Force = true });

        await Page.UserMenuButton().ClickAsync();
        await Expect(Page.LogoutButton()).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("user-menu-name")).ToHaveTextAsync(CreditPortal.Demo.DemoOptions.OwnerEmail);
        await ScreenshotAsync("user-menu-phone");
        await AssertAccessibleAsync("user menu on a phone");
    }
}
