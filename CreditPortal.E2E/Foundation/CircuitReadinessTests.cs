using System.Text.RegularExpressions;
using CreditPortal.E2E.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>
/// Pins what <see cref="PortalPages.WaitForBlazorAsync"/> relies on. If the prerendered header stopped
/// carrying a disabled marker, the wait would return at once and every browser test would click on dead
/// prerendered HTML — flaky, not failing. This test fails instead.
/// </summary>
public sealed partial class CircuitReadinessTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Circuit_marker_is_disabled_when_prerendered_and_enabled_once_the_circuit_is_live()
    {
        await LoginAsOwnerAsync();

        // The same page as the server prerenders it, before any circuit (the request shares the context's cookies).
        var prerendered = await (await Page.APIRequest.GetAsync("")).TextAsync();
        var marker = SidebarToggleTag().Match(prerendered);
        Assert.True(marker.Success, "the prerendered home page has the sidebar toggle");
        Assert.Matches(@"\sdisabled(\s|=|>)", marker.Value);

        await Expect(Page.Locator(PortalPages.CircuitMarker)).ToBeEnabledAsync();
        await Expect(Page.Locator(PortalPages.CircuitMarker)).ToHaveCountAsync(1);
    }

    [GeneratedRegex(@"<button[^>]*data-testid=""sidebar-toggle""[^>]*>")]
    private static partial Regex SidebarToggleTag();
}
