using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>
/// Issue #10's bar for the pages ported to MudBlazor after Balance, Get Sendings and Plans: on the demo account each
/// one shows its data, has no serious or critical axe-core violation, and fits a 390 px phone.
/// </summary>
public sealed class PortalPagesBrowserTests(BrowserFixture browser, DemoAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppFixture>
{
    /// <summary>Each owner page (its path under the account; "" is Home) and what shows once its data is there.</summary>
    public static TheoryData<string, string> OwnerPages => new()
    {
        { "", "home-wallet-Sms" },
        { "lists", "lists" },
        { "sms/assign-credits", "lists" },
        { "reports", "report-summary" },
        { "alerts", "alerts" },
        { "settings", "settings-form" },
        { "api-keys", "api-keys" },
        { "webhooks", "webhooks-page" },
        { "audit", "audit-grid" },
    };

    [Theory, MemberData(nameof(OwnerPages))]
    public async Task An_owner_page_is_accessible_on_a_desktop_and_fits_a_phone(string page, string loaded)
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        var path = page.Length == 0 ? "" : $"accounts/{id}/{page}";
        var step = page.Length == 0 ? "home" : page.Replace('/', '-');

        await GotoAsync(path, step);
        await Expect(Page.GetByTestId(loaded)).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
        await AssertAccessibleAsync(step);

        await UsePhoneAsync();
        await Expect(Page.GetByTestId(loaded)).ToBeVisibleAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync($"{step} on a phone");
        await ScreenshotAsync($"{step}-phone");
    }

    [Fact]
    public async Task The_owner_s_home_shows_a_card_per_channel_and_a_year_of_spending_by_list()
    {
        var id = await DemoAccount.IdAsync(App);
        var email = await DemoAccount.WalletAsync(App, CreditPortal.Ledger.Channel.Email);
        await LoginAsOwnerAsync();

        await GotoAsync("", "home");
        await Expect(Page.Figure("home-wallet-Email", "balance")).ToHaveTextAsync(DemoAccount.Format(email.Total));
        await Expect(Page.Figure("home-wallet-Email", "this-month")).ToHaveTextAsync(DemoAccount.Format(await DemoAccount.CreditsThisMonthAsync(App, CreditPortal.Ledger.Channel.Email)));
        await Expect(Page.Locator("[data-testid=home-wallet-Sms] [data-testid=next-expiry]")).ToContainTextAsync("credits on");
        await Expect(Page.Locator("[data-testid=home-wallet-Email] [data-testid=forecast]")).ToContainTextAsync("Forecast:");
        await Expect(Page.GetByTestId("home-spending").Locator("svg").First).ToBeVisibleAsync();
        await Page.GetByTestId("home-spending").GetByRole(AriaRole.Link, new() { Name = "The report behind this chart" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($@"/accounts/{id}/reports\?from=\d{{4}}-\d{{2}}-01&to=2026-11-20&groupBy=month$"));
    }

    public static TheoryData<string, string> SupportPages => new()
    {
        { "support", "attention-list" },
        { "support/accounts/{id}", "support-overview" },
    };

    [Theory, MemberData(nameof(SupportPages))]
    public async Task A_support_page_is_accessible_on_a_desktop_and_fits_a_phone(string page, string loaded)
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsSupportAsync();
        var path = page.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var step = page.Replace("/{id}", "").Replace('/', '-');

        await GotoAsync(path, step);
        await Expect(Page.GetByTestId(loaded)).ToBeVisibleAsync();
        await AssertAccessibleAsync(step);

        await UsePhoneAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync($"{step} on a phone");
        await ScreenshotAsync($"{step}-phone");
    }

    [Fact]
    public async Task Support_home_shows_what_needs_attention_runs_the_ledger_check_and_lists_support_actions()
    {
        await LoginAsSupportAsync();
        await GotoAsync("support", "support-home");

        // The demo's year ends with support's changes (an added product type) and a ledger the check agrees with.
        var attention = Page.GetByTestId("attention-list");
        await Expect(attention).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("support-actions").Locator("tr.support-action-row").First).ToBeVisibleAsync();
        await Page.GetByTestId("ledger-check-run").ClickAsync();
        await Expect(Page.GetByTestId("ledger-check-result")).ToContainTextAsync("every balance matches its entries");
        await ScreenshotAsync("support-dashboard");

        // The same dashboard in the dark palette: its contrast is checked too.
        await Page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(Page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await ScreenshotAsync("support-dashboard-dark");
        await AssertAccessibleAsync("support dashboard in dark mode");
    }
}
