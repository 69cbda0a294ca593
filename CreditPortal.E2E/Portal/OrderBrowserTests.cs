using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>Get Sendings and buying credits in the browser: the confirmation, the test payment, what the balance does,
/// with axe-core on the page and the open dialog, and the page on a phone.</summary>
public sealed class OrderBrowserTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<PortalAppFixture>
{
    private async Task<long> EmailBalanceAsync(long id)
    {
        await GotoAsync($"accounts/{id}/balance", "balance");
        return DemoAccount.Credits(await Page.Figure("wallet-Email", "total").InnerTextAsync());
    }

    private async Task OpenOrderAsync(long id, string packId)
    {
        await GotoAsync($"accounts/{id}/get-sendings", "get-sendings");
        await Page.GetByTestId($"order-{packId}").ClickAsync();
        await Expect(Page.GetByTestId("order-dialog")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("order-save")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task Ordering_a_pack_raises_the_balance()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        var before = await EmailBalanceAsync(id);

        await OpenOrderAsync(id, "email-5000");
        await Expect(Page.GetByTestId("order-summary")).ToHaveTextAsync("5,000 Email credits for 10.00 EUR.");
        await Expect(Page.GetByTestId("order-expiry")).ToContainTextAsync("never expire");
        await Expect(Page.GetByTestId("test-payment-notice")).ToContainTextAsync("Test payment");
        await ScreenshotAsync("confirmation");
        await AssertAccessibleAsync("order dialog");
        await Page.GetByTestId("order-save").ClickAsync();

        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync($"Your Email balance is now {DemoAccount.Format(before + 5_000)}.");
        await Expect(Page.GetByTestId("order-dialog")).ToHaveCountAsync(0);
        await ScreenshotAsync("paid");
        await Expect(Page.Figure("channel-Email", "balance-total")).ToHaveTextAsync(DemoAccount.Format(before + 5_000));

        Assert.Equal(before + 5_000, await EmailBalanceAsync(id));
    }

    [Fact]
    public async Task A_declined_payment_leaves_the_balance_unchanged()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        var before = await EmailBalanceAsync(id);

        await OpenOrderAsync(id, "email-10000");
        await Page.GetByText("Is declined (tok_decline)").ClickAsync();
        await Page.GetByTestId("order-save").ClickAsync();

        await Expect(Page.GetByTestId("order-declined")).ToContainTextAsync("The payment was declined (card_declined). Nothing was charged and your balance is unchanged.");
        await Expect(Page.GetByTestId("order-save")).ToHaveCountAsync(0);
        await ScreenshotAsync("declined");
        await AssertAccessibleAsync("declined");
        await Page.GetByTestId("order-close").ClickAsync();
        await Expect(Page.GetByTestId("order-dialog")).ToHaveCountAsync(0);

        Assert.Equal(before, await EmailBalanceAsync(id));
    }

    [Fact]
    public async Task An_sms_pack_states_its_expiry_before_paying_and_escape_cancels()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();

        await OpenOrderAsync(id, "sms-1000");

        await Expect(Page.GetByTestId("order-expiry")).ToContainTextAsync("(Europe/Rome time)");
        await Expect(Page.GetByTestId("order-expiry")).ToContainTextAsync(", 00:00");
        // A keyboard user is in the dialog when they press Escape; MudBlazor moves the focus there as the dialog opens,
        // which on a loaded machine can come after the dialog is visible (a run pressed Escape with the focus outside).
        await Page.GetByTestId("order-cancel").FocusAsync();
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("order-dialog")).ToHaveCountAsync(0);
        await AssertAccessibleAsync("get sendings");
    }

    [Fact]
    public async Task On_a_phone_the_catalogue_stacks_and_the_order_dialog_fits()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await UsePhoneAsync();
        await GotoAsync($"accounts/{id}/get-sendings", "get-sendings-phone");

        var catalog = Page.GetByTestId("catalog-Sms");
        await Expect(catalog.Locator("thead tr")).ToBeHiddenAsync();
        await Expect(catalog.Locator("tr.pack-row td[data-label='SMS it buys']").First).ToBeVisibleAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("get sendings on a phone");

        await Page.GetByTestId("order-sms-5000").ClickAsync();
        await Expect(Page.GetByTestId("order-save")).ToBeEnabledAsync();
        await ScreenshotAsync("order-dialog-phone");
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await Page.GetByTestId("order-cancel").ClickAsync();
        await Expect(Page.GetByTestId("order-dialog")).ToHaveCountAsync(0);
    }
}
