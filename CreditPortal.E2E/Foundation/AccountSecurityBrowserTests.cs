using System.Text.RegularExpressions;
using CreditPortal.Demo;
using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>An app of its own: the test changes the demo owner's password.</summary>
public sealed class PasswordChangeAppFixture : PortalAppFixture;

/// <summary>Issue #12: everyone changes their own password from the user menu, and reads it in their account's security log.</summary>
public sealed class AccountSecurityBrowserTests(BrowserFixture browser, PasswordChangeAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PasswordChangeAppFixture>
{
    [Fact]
    public async Task AnOwner_ChangesTheirPassword_FromTheUserMenu_AndTheSecurityPageShowsIt()
    {
        Errors.Allow(new Regex(@"/account/password.*status of 400"), "the refused password change answers 400 by design; this test provokes it");
        await LoginAsOwnerAsync();
        await Page.UserMenuButton().ClickAsync();
        await Page.GetByTestId("change-password").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/account/password$"));
        // The URL changes before the new page replaces the old one: wait for the page itself first.
        await Expect(Page.Locator("#current-password")).ToBeVisibleAsync();
        await PortalPages.WaitForBlazorAsync(Page); // a full page load: the form is outside the circuit
        await AssertAccessibleAsync("password-page");

        // A wrong current password is refused with a message; nothing changes.
        await Page.Locator("#current-password").FillAsync("Not-the-password#1");
        await Page.Locator("#new-password").FillAsync("Owner#Chosen2026");
        await Page.Locator("#confirm-password").FillAsync("Owner#Chosen2026");
        await Page.GetByTestId("password-submit").ClickAsync();
        await Expect(Page.GetByTestId("password-error")).ToContainTextAsync("The current password is wrong.");
        await ScreenshotAsync("password-refused");

        await Page.Locator("#current-password").FillAsync(DemoOptions.OwnerPassword);
        await Page.Locator("#new-password").FillAsync("Owner#Chosen2026");
        await Page.Locator("#confirm-password").FillAsync("Owner#Chosen2026");
        await Page.GetByTestId("password-submit").ClickAsync();
        await PortalPages.WaitForCircuitAsync(Page);
        await Expect(Page.HeaderAccount()).ToHaveTextAsync(DemoOptions.AccountName);

        var accountId = await CreditPortal.E2E.Portal.DemoAccount.IdAsync(App);
        await GotoAsync($"accounts/{accountId}/security", "security-page");
        await Expect(Page.GetByTestId("security-kind")).ToHaveTextAsync(["password.changed"]);
        await AssertAccessibleAsync("security-page");

        // The new password is the one that works now.
        await Page.LogOutAsync();
        await PortalPages.LoginAsync(Page, DemoOptions.OwnerEmail, "Owner#Chosen2026");
        await Expect(Page.HeaderAccount()).ToHaveTextAsync(DemoOptions.AccountName);
    }
}
