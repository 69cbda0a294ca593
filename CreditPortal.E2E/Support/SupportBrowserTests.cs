using CreditPortal.Demo;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.E2E.Portal;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Support;

/// <summary>R11 in the browser: support finds the account, changes a list's allocation with a reason, and
/// the owner then reads exactly that in the audit trail.</summary>
public sealed class SupportBrowserTests(BrowserFixture browser, DemoAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Support_adjusts_an_allocation_with_a_reason_and_the_owner_sees_it_in_the_trail()
    {
        var id = await DemoAccount.IdAsync(App);
        const string reason = "Customer asked by phone to reserve credits for promotions";

        // Support: find the account by its owner's email, open it, then its lists.
        await LoginAsSupportAsync();
        await GotoAsync("support", "support-home");
        await Page.Locator("#support-query").FillAsync(DemoOptions.OwnerEmail);
        await Page.Locator("#support-query").PressAsync("Enter");
        var result = Page.GetByTestId("support-result-link");
        await Expect(result).ToHaveCountAsync(1);
        await Expect(result).ToHaveTextAsync(DemoOptions.AccountName);
        await result.ClickAsync();
        await Expect(Page.GetByTestId("support-overview")).ToBeVisibleAsync();
        await ScreenshotAsync("support-account");

        await GotoAsync($"accounts/{id}/lists", "support-lists");
        await Page.ListActionAsync("Promotions", "edit-allocation-Email");
        await Expect(Page.GetByTestId("allocation-dialog")).ToBeVisibleAsync();
        await Page.GetByText("Only its own assigned credits").ClickAsync();
        var amount = Page.Locator("input[name=allocation-assigned]");
        await Expect(amount).ToBeEnabledAsync();
        await amount.FillAsync("700");

        // Without a reason support is refused at the field.
        await Page.GetByTestId("allocation-save").ClickAsync();
        await Expect(Page.Locator("[data-testid=allocation-dialog] #allocation-reason-message")).ToBeVisibleAsync();
        await Page.Locator("[data-testid=allocation-dialog] [data-testid=reason]").FillAsync(reason);
        await Page.GetByTestId("allocation-save").ClickAsync();
        await Expect(Page.GetByTestId("allocation-dialog")).ToHaveCountAsync(0);
        await Expect(Page.ListRow("Promotions").GetByTestId("allocation-Email")).ToHaveTextAsync("Assigned: 700 credits");
        await ScreenshotAsync("support-assigned");

        // The owner, in their own browser, reads the change and the reason.
        var ownerContext = await NewContextAsync();
        var owner = await ownerContext.NewPageAsync();
        await LoginAsOwnerAsync(owner);
        await GotoAsync($"accounts/{id}/audit", "owner-audit", owner);
        var row = owner.Locator("tr.audit-row").Filter(new() { HasText = reason });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Support — " + DemoOptions.SupportDisplayName);
        await Expect(row).ToContainTextAsync("List allocation (Email)");
        await Expect(row).ToContainTextAsync("Shared → ");
        await Expect(row).ToContainTextAsync("Assigned 700");
        await ScreenshotAsync("owner-audit-entry", owner);
    }

    [Fact]
    public async Task An_owner_cannot_open_the_support_console()
    {
        Errors.Allow(new System.Text.RegularExpressions.Regex(@"/account/access-denied.*status of 403"),
            "the access-denied page answers 403 by design; this test provokes it");
        await LoginAsOwnerAsync();
        var response = await Page.GotoAsync(new Uri(App.BaseAddress, "support").ToString());
        Assert.Equal(403, response!.Status);
        await Expect(Page.GetByText("Not allowed")).ToBeVisibleAsync();
        await ScreenshotAsync("owner-forbidden");
    }
}
