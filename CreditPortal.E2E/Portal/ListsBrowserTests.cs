using CreditPortal.E2E.Infrastructure;
using CreditPortal.Ledger;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>List allocation (R4) and sending limits (R6) in the browser, on the demo account: each row's ⋮ menu, the
/// SMS "Credits › Assign credits" view, axe-core, a phone.</summary>
public sealed class ListsBrowserTests(BrowserFixture browser, DemoAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Assigning_credits_to_a_list_and_being_refused_above_the_pool()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/lists", "lists");
        await AssertAccessibleAsync("lists");
        await Page.ListRow("Newsletter").GetByRole(AriaRole.Button, new() { Name = "Actions for Newsletter" }).ClickAsync();
        await Expect(Page.Locator(".mud-popover-open [data-testid=edit-allocation-Email]")).ToBeVisibleAsync();
        await ScreenshotAsync("action-menu");
        await AssertAccessibleAsync("a list's action menu");
        // A click beside the menu closes it without choosing anything.
        await Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).ClickAsync(new() { Force = true });
        await Expect(Page.Locator(".mud-popover-open [data-testid=edit-allocation-Email]")).ToHaveCountAsync(0);
        var pool = DemoAccount.Credits(await Page.Figure("lists-page", "unassigned-Email").InnerTextAsync());

        await Page.ListActionAsync("Newsletter", "edit-allocation-Email");
        await Expect(Page.GetByTestId("allocation-dialog")).ToBeVisibleAsync();
        await AssertAccessibleAsync("assign credits dialog");
        await Page.GetByText("Only its own assigned credits").ClickAsync();
        var amount = Page.Locator("input[name=allocation-assigned]");
        await Expect(amount).ToBeEnabledAsync();
        await amount.FillAsync((pool + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("allocation-save").ClickAsync();

        var message = Page.Locator("[data-testid=allocation-dialog] #allocation-assigned-message");
        await Expect(message).ToHaveTextAsync($"Only {DemoAccount.Format(pool)} Email credits are unassigned; the list can be assigned at most {DemoAccount.Format(pool)}.");
        await Expect(amount).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex(@"\ballocation-assigned-message\b"));
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

        await Page.ListActionAsync("Newsletter", "edit-cap-Email");
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

    [Fact]
    public async Task On_a_phone_the_lists_are_cards_and_each_one_s_action_menu_opens()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await UsePhoneAsync();
        await GotoAsync($"accounts/{id}/lists", "lists-phone");

        // Below MudBlazor's small breakpoint the table is a stack of cards: no header row, each value labelled.
        var lists = Page.GetByTestId("lists");
        await Expect(lists.Locator("thead tr")).ToBeHiddenAsync();
        await Expect(Page.ListRow("Newsletter").Locator("td[data-label='SMS: sent this month']")).ToBeVisibleAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("lists on a phone");

        await Page.ListRow("Newsletter").GetByRole(AriaRole.Button, new() { Name = "Actions for Newsletter" }).ClickAsync();
        var menu = Page.Locator(".mud-popover-open");
        await Expect(menu.GetByRole(AriaRole.Menuitem)).ToHaveTextAsync(
            ["Assign Email credits", "Set an Email sending limit", "Assign SMS credits", "Set an SMS sending limit", "Check a send", "Rename"]);
        await ScreenshotAsync("action-menu-phone");
        await AssertAccessibleAsync("a list's action menu on a phone");

        await menu.GetByTestId("edit-cap-Sms").ClickAsync();
        await Expect(Page.GetByTestId("cap-dialog")).ToBeVisibleAsync();
        await Expect(Page.Locator("input[name=cap-per-month]")).ToBeDisabledAsync();   // off: no maximum to type
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("sending limit dialog on a phone");
        await Page.GetByTestId("cap-cancel").ClickAsync();
        await Expect(Page.GetByTestId("cap-dialog")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Sms_credits_are_assigned_from_credits_assign_credits_which_shows_the_unassigned_total()
    {
        var id = await DemoAccount.IdAsync(App);
        var (total, unassigned) = await DemoAccount.WalletAsync(App, Channel.Sms);
        var promotions = await DemoAccount.AssignedAsync(App, "Promotions", Channel.Sms);
        Assert.True(unassigned > 10);
        await LoginAsOwnerAsync();

        await GotoAsync($"accounts/{id}/sms/assign-credits", "sms-assign-credits");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Assign credits");
        await Expect(Page.GetByTestId("assign-credits").GetByRole(AriaRole.Navigation)).ToContainTextAsync("Credits");
        await Expect(Page.Figure("assign-credits", "unassigned")).ToHaveTextAsync(DemoAccount.Format(unassigned));
        await Expect(Page.Figure("assign-credits", "total")).ToHaveTextAsync(DemoAccount.Format(total));
        await AssertAccessibleAsync("SMS credits › assign credits");

        var row = Page.Locator("tr.list-row").Filter(new() { Has = Page.GetByTestId("list-name").GetByText("Promotions", new() { Exact = true }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign credits to Promotions" }).ClickAsync();
        await Expect(Page.GetByTestId("allocation-dialog")).ToContainTextAsync($"Unassigned SMS credits: {DemoAccount.Format(unassigned)}");
        await Page.GetByText("Only its own assigned credits").ClickAsync();
        var amount = Page.Locator("input[name=allocation-assigned]");
        await amount.FillAsync((promotions + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("allocation-save").ClickAsync();

        await Expect(Page.GetByTestId("allocation-dialog")).ToHaveCountAsync(0);
        await Expect(Page.Figure("assign-credits", "unassigned")).ToHaveTextAsync(DemoAccount.Format(unassigned - 10));
        await Expect(row.GetByTestId("allocation")).ToHaveTextAsync($"Assigned: {DemoAccount.Format(promotions + 10)} credits");
        await ScreenshotAsync("sms-assigned");

        await UsePhoneAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("SMS credits › assign credits on a phone");
    }

    [Fact]
    public async Task Check_a_send_answers_before_anything_is_sent()
    {
        var id = await DemoAccount.IdAsync(App);
        var (smsTotal, _) = await DemoAccount.WalletAsync(App, Channel.Sms);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/lists", "lists");

        await Page.ListActionAsync("Transactional", "check-send");
        var dialog = Page.GetByTestId("check-send-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByText("SMS", new() { Exact = true }).ClickAsync();
        await Page.Locator("input[name=check-send-quantity]").FillAsync("10");
        await Page.GetByTestId("check-send-save").ClickAsync();

        await Expect(Page.GetByTestId("check-send-status")).ToHaveTextAsync("It would go out now.");
        await Expect(Page.GetByTestId("check-send-draws").Locator("tr.check-send-draw").First).ToBeVisibleAsync();
        await ScreenshotAsync("check-a-send");
        await Artifacts.ScreenshotAsync(Page.Locator(".mud-dialog").Filter(new() { Has = dialog }), "check-a-send-dialog");
        await AssertAccessibleAsync("check a send");
        Assert.Equal(smsTotal, (await DemoAccount.WalletAsync(App, Channel.Sms)).Total);   // nothing was sent
    }
}
