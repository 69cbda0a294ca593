using System.Text.RegularExpressions;
using CreditPortal.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>What a browser test needs to know about the portal's pages: selectors, login, and when a page is live.</summary>
public static partial class PortalPages
{
    public const string LoginPath = "account/login";

    /// <summary>
    /// The header's sidebar toggle: every page in MainLayout has it, and it carries
    /// <c>disabled="@(!RendererInfo.IsInteractive)"</c>, so it turns enabled exactly when the page has been
    /// rendered by the live circuit (event handlers attached).
    /// </summary>
    public const string CircuitMarker = "[data-testid=sidebar-toggle]";

    public static ILocator HeaderAccount(this IPage page) => page.GetByTestId("header-account");
    public static ILocator LogoutButton(this IPage page) => page.GetByTestId("logout");

    /// <summary>The side navigation (MudDrawer).</summary>
    public static ILocator Navigation(this IPage page) => page.GetByTestId("nav");

    /// <summary>The app bar's user menu (log out, account settings); on a phone it is an icon only.</summary>
    public static ILocator UserMenuButton(this IPage page) => page.GetByTestId("user-menu").GetByRole(AriaRole.Button, new() { Name = "User menu" });

    /// <summary>Logs out the way a user does: the user menu in the app bar, then "Log out".</summary>
    public static async Task LogOutAsync(this IPage page)
    {
        await page.UserMenuButton().ClickAsync();
        await page.LogoutButton().ClickAsync();
        // Wait until logout's own navigation has landed on the login page: a navigation started before it ends
        // (the next test step going to a page) is aborted by the browser (net::ERR_ABORTED).
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(page.Locator("#email")).ToBeVisibleAsync();
    }

    /// <summary>The smallest screen every page must work on (issue #10): an iPhone 12-14 in portrait.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Resizes the page to <see cref="Phone"/>.</summary>
    public static Task UsePhoneViewportAsync(IPage page) => page.SetViewportSizeAsync(Phone.Width, Phone.Height);

    /// <summary>
    /// Fails when the page is wider than the screen (a table or a bar that forces sideways scrolling on a phone),
    /// naming the widest elements that stick out.
    /// </summary>
    /// <remarks>
    /// MudBlazor learns of a resize through its viewport service, which debounces the browser's resize events, so a
    /// table turns into stacked cards some time after <see cref="UsePhoneViewportAsync"/> returns. The check is
    /// therefore polled until the layout fits, for up to five seconds: a page that never fits still fails, with
    /// what stuck out on the last look (a fresh-clone CI run failed by measuring before the switch).
    /// </remarks>
    public static async Task AssertFitsTheScreenAsync(IPage page)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string[] overflow;
        while ((overflow = await OverflowAsync(page)).Length > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        if (overflow.Length > 0)
            throw new Xunit.Sdk.XunitException($"{page.Url} is wider than the {Phone.Width} px screen: " + string.Join("; ", overflow));
    }

    /// <summary>The widest elements that stick out past the screen's right edge; none when the page fits.</summary>
    private static async Task<string[]> OverflowAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return [];
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
                    .slice(0, 5)
                    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
            }
            """);

    public static ILocator LoginError(this IPage page) => page.GetByTestId("login-error");

    /// <summary>Matches the login page's URL, with or without a returnUrl.</summary>
    [GeneratedRegex(@"/account/login(\?.*)?$")]
    public static partial Regex LoginUrl();

    /// <summary>
    /// Chromium logs every non-2xx document as a console error, and the app answers a refused login with
    /// 400 on purpose (CreditPortal.Tests' LoginTests pin it). A test that provokes a refused login allows
    /// exactly this entry: <c>Errors.Allow(PortalPages.RefusedLoginResponse(), "...")</c>.
    /// </summary>
    [GeneratedRegex(@"^console\.error at http://[^/]+/account/login(\?\S*)?:0:0: Failed to load resource: the server responded with a status of 400 \(Bad Request\)$")]
    public static partial Regex RefusedLoginResponse();

    /// <summary>
    /// Waits until a page can be used. Order matters:
    /// <list type="number">
    /// <item><c>window.Blazor</c> exists: blazor.web.js has run (it also handles enhanced navigation and forms
    /// on static pages such as the login form).</item>
    /// <item>If the page is a MainLayout page, its <see cref="CircuitMarker"/> is enabled: the interactive
    /// render from the circuit has replaced the prerendered HTML. A click before that lands on prerendered
    /// markup with no handlers and is silently lost; a static page (login) has no marker and no circuit.</item>
    /// </list>
    /// Interactive pages outside MainLayout must give their own controls the same
    /// <c>disabled="@(!RendererInfo.IsInteractive)"</c> and tests wait with <c>Expect(control).ToBeEnabledAsync()</c>.
    /// Not used: Blazor's circuit internals (<c>Blazor._internal</c>) and SignalR frames, which change between
    /// releases, and fixed sleeps.
    /// </summary>
    public static async Task WaitForBlazorAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var marker = page.Locator(CircuitMarker);
        if (await marker.CountAsync() > 0) await Expect(marker).ToBeEnabledAsync();
    }

    /// <summary>Like <see cref="WaitForBlazorAsync"/>, but the page must be an interactive MainLayout page.</summary>
    public static async Task WaitForCircuitAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await Expect(page.Locator(CircuitMarker)).ToBeEnabledAsync();
    }

    /// <summary>Opens the login page (unless already there), fills the form and presses the button; does not wait
    /// for or judge the outcome: follow it with an Expect on what should happen.</summary>
    public static async Task SubmitLoginAsync(IPage page, string email, string password)
    {
        if (!LoginUrl().IsMatch(page.Url)) await page.GotoAsync(LoginPath);
        await WaitForBlazorAsync(page);
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
    }

    /// <summary>Logs in through the real form and waits until the page it lands on is live.</summary>
    public static async Task LoginAsync(IPage page, string email, string password)
    {
        await SubmitLoginAsync(page, email, password);
        try
        {
            await Expect(page).Not.ToHaveURLAsync(LoginUrl());
        }
        catch (PlaywrightException e)
        {
            var error = await page.LoginError().CountAsync() > 0 ? await page.LoginError().InnerTextAsync() : "(no error shown)";
            throw new InvalidOperationException($"Login as {email} did not leave the login page; it says: {error}", e);
        }
        await WaitForBlazorAsync(page);
    }

    public static Task LoginAsOwnerAsync(IPage page) => LoginAsync(page, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
    public static Task LoginAsSupportAsync(IPage page) => LoginAsync(page, DemoOptions.SupportEmail, DemoOptions.SupportPassword);
}
