using System.Text.RegularExpressions;
using CreditPortal.Demo;
using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>Login and logout in a real browser against the real app with the demo seed.</summary>
public sealed class LoginBrowserTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Owner_logs_in_and_lands_on_their_account_home()
    {
        await LoginAsOwnerAsync();

        await Expect(Page).ToHaveURLAsync(App.BaseAddress.ToString());
        await Expect(Page.HeaderAccount()).ToHaveTextAsync(DemoOptions.AccountName);
        await Expect(Page.GetByTestId("home-account").GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(DemoOptions.AccountName);
        await Expect(Page.GetByTestId("user-name")).ToHaveTextAsync(DemoOptions.OwnerEmail);
        await Expect(Page).ToHaveTitleAsync("Home · CreditPortal");
        // The circuit is live: the sidebar toggle now works (it closes the navigation drawer).
        await Expect(Page.Navigation()).ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));
        await Page.GetByTestId("sidebar-toggle").ClickAsync();
        await Expect(Page.Navigation()).Not.ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));
        await ScreenshotAsync("sidebar-collapsed");
    }

    [Fact]
    public async Task Wrong_password_shows_the_error_and_stays_on_the_login_page()
    {
        Errors.Allow(PortalPages.RefusedLoginResponse(), "the refused login answers 400 by design; this test provokes it");
        await GotoAsync(PortalPages.LoginPath, "login");
        await PortalPages.SubmitLoginAsync(Page, DemoOptions.OwnerEmail, "Not-the-password#1");

        // Contain, not equal: the alert's icon is a ligature whose text ("error") precedes the message.
        await Expect(Page.LoginError()).ToContainTextAsync(CreditPortal.Identity.Pages.Login.Refused);
        await Expect(Page).ToHaveURLAsync(PortalPages.LoginUrl());
        await Expect(Page.Locator("#email")).ToHaveValueAsync(DemoOptions.OwnerEmail);
        await Expect(Page.HeaderAccount()).ToHaveCountAsync(0);
        await ScreenshotAsync("login-error");
    }

    [Fact]
    public async Task Support_logs_in_and_the_header_says_support()
    {
        await LoginAsSupportAsync();

        await Expect(Page.HeaderAccount()).ToHaveTextAsync("Support");
        await Expect(Page.GetByTestId("home-support")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("user-name")).ToHaveTextAsync(DemoOptions.SupportEmail);
    }

    [Fact]
    public async Task Logout_returns_to_the_login_page_and_the_portal_asks_for_login_again()
    {
        await LoginAsOwnerAsync();

        await Page.LogOutAsync();
        await Expect(Page).ToHaveURLAsync(PortalPages.LoginUrl());
        await Expect(Page.Locator("#email")).ToBeVisibleAsync();
        await ScreenshotAsync("after-logout");

        await Page.GotoAsync("");
        // The cookie handler's challenge spells it ReturnUrl, the app's own redirect returnUrl: both reach the form.
        await Expect(Page).ToHaveURLAsync(new Regex(@"/account/login\?returnUrl=%2F$", RegexOptions.IgnoreCase));
        await Expect(Page.Locator("#email")).ToBeVisibleAsync();
        await Expect(Page.HeaderAccount()).ToHaveCountAsync(0);
        await ScreenshotAsync("home-asks-for-login");
    }

    [Fact]
    public async Task Login_form_works_with_the_keyboard_alone()
    {
        await GotoAsync(PortalPages.LoginPath, "login");

        // Tab order: the email field is the first stop on the page, the password the next.
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("#email")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(DemoOptions.OwnerEmail);
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("#password")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(DemoOptions.OwnerPassword);
        await ScreenshotAsync("typed");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page).Not.ToHaveURLAsync(PortalPages.LoginUrl());
        await PortalPages.WaitForCircuitAsync(Page);
        await Expect(Page.HeaderAccount()).ToHaveTextAsync(DemoOptions.AccountName);
        await ScreenshotAsync("home");
    }
}
