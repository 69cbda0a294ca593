using CreditPortal.E2E.Infrastructure;
using CreditPortal.E2E.Portal;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>
/// The other browser tests bypass the CSP (axe is injected as a script). This one keeps it: MudBlazor's scripts,
/// its styles, the theme switch's module and the circuit all work under the app's real policy, and the browser
/// reports no violation (the error guard fails the test on any console error, which is how Chromium reports them).
/// </summary>
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    /// <summary>No default page: the one page of this test is made in a context that enforces the CSP.</summary>
    public override Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_pages_work_under_the_app_s_own_policy()
    {
        var page = await (await NewContextAsync(bypassCsp: false)).NewPageAsync();
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync(page);

        await GotoAsync($"accounts/{id}/balance", "balance", page);
        await page.Locator("[data-testid=wallet-Email] [data-testid=details]").ClickAsync();
        await Expect(page.GetByTestId("quota-total")).ToBeVisibleAsync();
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.UserMenuButton().ClickAsync();
        await Expect(page.LogoutButton()).ToBeVisibleAsync();
        await GotoAsync($"accounts/{id}/lists", "lists", page);

        Errors.AssertNone("under the app's CSP");
    }
}
