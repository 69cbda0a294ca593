using System.Text.RegularExpressions;
using CreditPortal.Demo;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Foundation;

/// <summary>An app of its own: the test turns two-factor login on for the demo owner.</summary>
public sealed class TwoFactorAppFixture : PortalAppFixture;

/// <summary>Issue #12: an owner turns on two-factor login from the user menu, then logs in with the authenticator's code.</summary>
public sealed partial class TwoFactorBrowserTests(BrowserFixture browser, TwoFactorAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<TwoFactorAppFixture>
{
    [Fact]
    public async Task AnOwner_TurnsOnTwoFactorLogin_AndTheNextLoginAsksForTheCode()
    {
        await LoginAsOwnerAsync();
        await Page.UserMenuButton().ClickAsync();
        await Page.GetByTestId("two-factor").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/account/two-factor$"));
        // The URL changes before the new page replaces the old one: wait for the page itself first, or the old page's
        // circuit marker can be seen and then vanish.
        await Expect(Page.GetByTestId("two-factor-qr")).ToBeVisibleAsync();
        await PortalPages.WaitForBlazorAsync(Page); // a full page load: the form is outside the circuit
        // The QR code is a real picture (its natural size is known once the data: image decoded).
        Assert.True(await Page.GetByTestId("two-factor-qr").EvaluateAsync<int>("img => img.naturalWidth") > 100);
        await AssertAccessibleAsync("two-factor-setup");
        await ScreenshotAsync("two-factor-setup");

        var key = (await Page.GetByTestId("authenticator-key").InnerTextAsync()).Trim();
        await Page.Locator("#enable-code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await Page.GetByTestId("two-factor-enable").ClickAsync();
        await Expect(Page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await ScreenshotAsync("recovery-codes");
        await Page.GetByTestId("two-factor-continue").ClickAsync();
        await PortalPages.WaitForCircuitAsync(Page);

        await Page.LogOutAsync();
        await Expect(Page).ToHaveURLAsync(PortalPages.LoginUrl());
        await PortalPages.SubmitLoginAsync(Page, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        await Expect(Page).ToHaveURLAsync(new Regex("/account/login/two-factor"));
        await PortalPages.WaitForBlazorAsync(Page);
        await AssertAccessibleAsync("two-factor-code");
        await Page.Locator("#code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await Page.GetByTestId("two-factor-submit").ClickAsync();
        await PortalPages.WaitForCircuitAsync(Page);
        await Expect(Page.HeaderAccount()).ToHaveTextAsync(DemoOptions.AccountName);
    }
}
