using CreditPortal.Components.Layout;
using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>The light/dark switch: remembered across visits, and already right in the server's first HTML.</summary>
public sealed class ThemeBrowserTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Dark_mode_is_remembered_and_prerendered_on_the_next_visit()
    {
        await LoginAsOwnerAsync();
        var toggle = Page.GetByTestId("theme-toggle");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal("light", await BackgroundLumaAsync());

        await toggle.ClickAsync();

        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await WaitForBackgroundAsync("dark");
        await Page.WaitForFunctionAsync("name => document.cookie.split('; ').includes(name)", $"{ThemePreference.CookieName}={ThemePreference.Dark}");
        var cookie = (await Page.Context.CookiesAsync()).Single(c => c.Name == ThemePreference.CookieName);
        Assert.Equal(ThemePreference.Dark, cookie.Value);
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.AddDays(300).ToUnixTimeSeconds(), "the choice outlives the session");
        await AssertAccessibleAsync("home in dark mode");
        await ScreenshotAsync("dark");

        // The next visit: the server's prerendered HTML (before any circuit) is already dark.
        var prerendered = await (await Page.APIRequest.GetAsync("")).TextAsync();
        Assert.Matches(@"<button[^>]*aria-pressed=""true""[^>]*data-testid=""theme-toggle""|<button[^>]*data-testid=""theme-toggle""[^>]*aria-pressed=""true""", prerendered);
        Assert.Matches(@"--mud-palette-background:\s*rgba\(18,\s*24,\s*38", prerendered); // PaletteDark.Background, #121826
        await Page.ReloadAsync();
        await PortalPages.WaitForBlazorAsync(Page);
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal("dark", await BackgroundLumaAsync());

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await WaitForBackgroundAsync("light");
    }

    /// <summary>"dark" or "light": the luma of the page's computed background colour.</summary>
    private const string Luma = """
        () => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
            return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
        }
        """;

    private Task<string> BackgroundLumaAsync() => Page.EvaluateAsync<string>(Luma);

    private Task WaitForBackgroundAsync(string luma) => Page.WaitForFunctionAsync($"expected => ({Luma})() === expected", luma);
}
