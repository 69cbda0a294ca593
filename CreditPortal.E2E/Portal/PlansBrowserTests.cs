using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>The Plans page (R7) in the browser: a change confirmed in a dialog, with the keyboard; axe-core; a phone.</summary>
public sealed class PlansBrowserTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Moving_sms_to_standard_shows_the_price_is_paid_first_and_then_shown_as_the_current_plan()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/plans", "plans");
        await AssertAccessibleAsync("plans");
        var sms = Page.GetByTestId("plan-form-Sms");

        await sms.GetByText("Standard", new() { Exact = true }).ClickAsync();
        var subscribers = sms.Locator("input[name=plan-Sms-subscribers]");
        await subscribers.FillAsync("400");
        await Expect(sms.GetByTestId("plan-description")).ToHaveTextAsync("400 subscribers: 4,800 credits per billing cycle for 16.00 EUR.");
        await subscribers.PressAsync("Enter");   // Enter submits the form

        var dialog = Page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Standard: 400 subscribers: 4,800 credits per billing cycle for 16.00 EUR. You pay 16.00 EUR now");
        await ScreenshotAsync("confirmation");
        await AssertAccessibleAsync("plan change confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Pay 16.00 EUR" }).ClickAsync();

        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync("The SMS plan is now Standard.");
        await Expect(Page.Locator("[data-testid=plan-Sms] [data-testid=current-plan]"))
            .ToContainTextAsync("Current plan: Standard. 400 subscribers: 4,800 credits per billing cycle for 16.00 EUR.");
        await Expect(Page.Locator("[data-testid=plan-Sms] [data-testid=cycle-ends]")).ToContainTextAsync("This billing cycle ends on");
        await ScreenshotAsync("changed");
    }

    [Fact]
    public async Task On_a_phone_the_plans_fit_the_screen()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await UsePhoneAsync();
        await GotoAsync($"accounts/{id}/plans", "plans-phone");

        await Page.GetByTestId("plan-form-Email").GetByText("Monthly", new() { Exact = true }).ClickAsync();
        await Expect(Page.Locator("[data-testid=plan-form-Email] [data-testid=plan-one-way]")).ToBeEnabledAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("plans on a phone");
    }
}
