using CreditPortal.E2E.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>The demo app whose open tabs re-check their session every 2 seconds instead of every minute, so the test is quick.</summary>
public sealed class FastRevalidationAppFixture : PortalAppFixture
{
    protected override PortalAppOptions Options => new()
    {
        Settings = new Dictionary<string, string> { ["Sessions:RevalidationInterval"] = "00:00:02" },
    };
}

/// <summary>Issue #12: logging out ends the session in every tab, not only in the one that clicked.</summary>
public sealed class SessionBrowserTests(BrowserFixture browser, FastRevalidationAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<FastRevalidationAppFixture>
{
    [Fact]
    public async Task LoggingOutInOneTab_EndsTheSecondTabOfTheSameUser()
    {
        await LoginAsOwnerAsync();
        var accountId = await CreditPortal.E2E.Portal.DemoAccount.IdAsync(App);

        // A second tab of the same browser, live on the Balance page.
        var second = await Page.Context.NewPageAsync();
        await GotoAsync($"accounts/{accountId}/balance", "second-tab-balance", second);
        await Expect(second.HeaderAccount()).ToBeVisibleAsync();

        await Page.LogOutAsync();
        await Expect(Page).ToHaveURLAsync(PortalPages.LoginUrl());

        // The second tab made no request of its own: its circuit's next check of the session sends it to the login page.
        await Expect(second).ToHaveURLAsync(PortalPages.LoginUrl(), new() { Timeout = 60_000 });
        await Expect(second.Locator("#email")).ToBeVisibleAsync();
        await ScreenshotAsync("second-tab-logged-out", second);
    }
}
