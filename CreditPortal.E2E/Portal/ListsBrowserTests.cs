using CreditPortal.E2E.Infrastructure;
using CreditPortal.Ledger;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>List allocation (R4) and sending limits (R6) in the browser, on the demo account.</summary>
public sealed class ListsBrowserTests(BrowserFixture browser, DemoAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Assigning_credits_to_a_list_and_being_refused_above_the_pool()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/lists", "lists");
        var pool = DemoAccount.Credits(await Page.Figure("lists-page", "unassigned-Email").InnerTextAsync());

        await Page.ListRow("Newsletter").GetByTestId("edit-allocation-Email").ClickAsync();
        await Expect(Page.GetByTestId("allocation-dialog")).ToBeVisibleAsync();
        await Page.GetByText("Only its own assigned credits").ClickAsync();
        var amount = Page.Locator("input[name=allocation-assigned]");
        await Expect(amount).ToBeEnabledAsync();
        await amount.FillAsync((pool + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("allocation-save").ClickAsync();

        var message = Page.Locator("[data-testid=allocation-dialog] [data-testid=error-assigned]");
        await Expect(message).ToHaveTextAsync($"Only {DemoAccount.Format(pool)} Email credits are unassigned; the list can be assigned at most {DemoAccount.Format(pool)}.");
        await Expect(amount).ToHaveAttributeAsync("aria-describedby", "allocation-assigned-message");
        await ScreenshotAsync("refused");

        await amount.FillAsync("1500");
        await amount.PressAsync("Enter");   // Enter submits the form

        await Expect(Page.GetByTestId("allocation-dialog")).ToHaveCountAsync(0);
        await Expect(Page.ListRow("Newsletter").GetByTestId("allocation-Email")).ToHaveTextAsync("Assigned: 1,500 credits");
        await Expect(Page.Figure("lists-page", "unassigned-Email")).ToHaveTextAsync(DemoAccount.Format(pool - 1_500));
        await ScreenshotAsync("assigned");
    }

    [Fact]
    public async Task A_sending_limit_below_what_was_sent_shows_the_list_at_its_cap()
    {
        var id = await DemoAccount.IdAsync(App);
        // The demo's Newsletter goes out every Tuesday and has no limit: well over 1,000 this month.
        var sent = DemoAccount.Format(await DemoAccount.SentThisMonthAsync(App, "Newsletter", Channel.Email));
        Assert.True(DemoAccount.Credits(sent) > 1_000);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/lists", "lists");
        await Expect(Page.ListRow("Newsletter").GetByTestId("cap-Email")).ToHaveTextAsync($"{sent} (no limit)");

        await Page.ListRow("Newsletter").GetByTestId("edit-cap-Email").ClickAsync();
        await Expect(Page.GetByTestId("cap-dialog")).ToBeVisibleAsync();
        await Page.GetByTestId("cap-enabled").ClickAsync();
        var perMonth = Page.Locator("input[name=cap-per-month]");
        await Expect(perMonth).ToBeEnabledAsync();
        await perMonth.FillAsync("1000");
        await ScreenshotAsync("cap-dialog");
        await Page.GetByTestId("cap-save").ClickAsync();

        await Expect(Page.GetByTestId("cap-dialog")).ToHaveCountAsync(0);
        await Expect(Page.ListRow("Newsletter").GetByTestId("cap-Email")).ToHaveTextAsync($"{sent} of 1,000 a month");
        await Expect(Page.ListRow("Newsletter").GetByTestId("cap-reached-Email")).ToHaveTextAsync("Limit reached");

        await GotoAsync($"accounts/{id}/balance", "balance-at-cap");
        await Expect(Page.Locator("[data-testid=wallet-Email] tr.list-row").Filter(new() { HasText = "Newsletter" }).GetByTestId("cap"))
            .ToHaveTextAsync($"{sent} of 1,000 — limit reached");
    }
}
