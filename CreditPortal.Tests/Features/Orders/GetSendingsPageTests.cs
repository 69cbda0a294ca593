using Bunit;
using CreditPortal.Data;
using CreditPortal.Features.Orders;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Orders;

public sealed class GetSendingsPageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    private async Task<(Account Account, IRenderedComponent<Bunit.Rendering.ContainerFragment> Page)> OpenAsync(string[]? productTypes = null)
    {
        var account = await CreateAccountAsync(productTypes: productTypes);
        SignInAsOwner(account);
        var page = RenderPage<GetSendings>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=catalog-Email]")));
        return (account, page);
    }

    [Fact]
    public async Task Without_a_payment_provider_the_page_says_payments_are_not_set_up_and_no_order_can_start()
    {
        Services.AddSingleton(new PaymentsOptions()); // Payments:Provider unset
        var (account, page) = await OpenAsync();

        Assert.Contains("Payments are not set up", page.Find("[data-testid=payments-not-set-up]").TextContent);
        Assert.True(page.Find("[data-testid=order-email-5000]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=order-sms-1000]").HasAttribute("disabled"));
        Assert.Equal(0, await OrderCountAsync(account.Id));
    }

    [Fact]
    public async Task With_the_test_provider_no_payments_notice_is_shown()
    {
        var (_, page) = await OpenAsync();
        Assert.Empty(page.FindAll("[data-testid=payments-not-set-up]"));
        Assert.False(page.Find("[data-testid=order-email-5000]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Catalogue_lists_every_pack_with_its_price_and_sms_packs_say_how_many_sms_they_buy_per_country()
    {
        var (_, page) = await OpenAsync();

        var email = page.FindAll("[data-testid=catalog-Email] tr.pack-row").Select(r => r.TextContent).ToList();
        Assert.Equal(4, email.Count);
        Assert.Contains("10,000", email[1]);
        Assert.Contains("18.00 EUR", email[1]);
        var sms = page.FindAll("[data-testid=catalog-Sms] [data-testid=sms-reach]").Select(r => r.TextContent.Trim()).ToList();
        Assert.Equal("1,000 to DE, ES, FR, GB, IT · 500 to US · 333 to BR", sms[0]);
        Assert.Equal("5,000 to DE, ES, FR, GB, IT · 2,500 to US · 1,666 to BR", sms[1]);
    }

    [Fact]
    public async Task Ordering_an_email_pack_confirms_credits_price_and_no_expiry_then_pays_and_shows_the_new_balance()
    {
        var (account, page) = await OpenAsync(["Domain"]);   // 250 free credits to start with

        page.Find("[data-testid=order-email-10000]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=order-dialog]")));
        Assert.Contains("10,000 Email credits for 18.00 EUR", page.Find("[data-testid=order-summary]").TextContent);
        Assert.Contains("never expire", page.Find("[data-testid=order-expiry]").TextContent);
        Assert.Contains("Test payment", page.Find("[data-testid=test-payment-notice]").TextContent);
        Assert.Equal(0, await OrderCountAsync(account.Id));   // nothing is bought by opening the dialog

        page.Find("[data-testid=order-save]").Click();

        // Paid: the dialog closes and the snackbar says what was added and the new balance.
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=order-dialog]")));
        Assert.Contains("Paid 18.00 EUR: 10,000 Email credits were added. Your Email balance is now 10,250.", page.Find(".mud-snackbar").TextContent);
        Assert.Equal(10_250, (await WalletAsync(account.Id)).Total);
        page.WaitForAssertion(() => Assert.Equal("10,250", page.Find("[data-testid=channel-Email] [data-testid=balance-total] .portal-figure-value").TextContent.Trim()));
    }

    [Fact]
    public async Task An_sms_pack_states_its_expiry_date_in_the_account_s_zone_before_paying()
    {
        var (_, page) = await OpenAsync();

        page.Find("[data-testid=order-sms-1000]").Click();

        // R3: bought on 22 Nov 2026 (Rome) → valid until 00:00 Rome time on 22 Nov 2028.
        page.WaitForAssertion(() => Assert.Contains("Valid until 22 Nov 2028, 00:00 (Europe/Rome time)", page.Find("[data-testid=order-expiry]").TextContent));
        Assert.Contains("1,000 SMS credits for 60.00 EUR", page.Find("[data-testid=order-summary]").TextContent);
    }

    [Fact]
    public async Task A_declined_payment_says_so_plainly_and_changes_nothing()
    {
        var (account, page) = await OpenAsync(["Domain"]);

        page.Find("[data-testid=order-email-5000]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=order-dialog]")));
        page.FindAll("[data-testid=payment-token] input[type=radio]")[1].Click();   // "Is declined (tok_decline)"
        page.Find("[data-testid=order-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("The payment was declined (card_declined). Nothing was charged and your balance is unchanged.",
            page.Find("[data-testid=order-declined]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=order-save]"));
        Assert.Empty(page.FindAll(".mud-snackbar"));
        Assert.Equal(250, (await WalletAsync(account.Id)).Total);
        await using var db = Database.CreateContext();
        Assert.Equal(OrderStatus.Declined, (await db.Orders.SingleAsync()).Status);
    }

    [Fact]
    public async Task Submitting_the_confirmation_twice_buys_once()
    {
        var (account, page) = await OpenAsync();

        page.Find("[data-testid=order-email-5000]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=order-dialog]")));
        // Both submits in one turn of the renderer: the second arrives while the first is still paying.
        Task first = Task.CompletedTask, second = Task.CompletedTask;
        await page.InvokeAsync(() =>
        {
            first = page.Find("form#order").SubmitAsync();
            second = page.Find("form#order").SubmitAsync();
        });
        await Task.WhenAll(first, second);

        page.WaitForAssertion(() => Assert.Contains("Paid 10.00 EUR", page.Find(".mud-snackbar").TextContent));
        Assert.Equal(1, await OrderCountAsync(account.Id));
        Assert.Equal(5_000, (await WalletAsync(account.Id)).Total);
    }

    [Fact]
    public async Task Running_low_on_the_free_plan_offers_standard_priced_from_the_subscriber_count()
    {
        var account = await CreateAccountAsync();
        var list = await Ledger.CreateListAsync(account.Id, "News", Owner);
        await Ledger.ChangePlanAsync(account.Id, Channel.Email, Plan.Free, null, null, Owner);
        // Free: 15,000 a cycle, at most 2,000 sends a day → 7 days of 2,000 leave 1,000 (≤ 15%).
        for (var day = 0; day < 7; day++)
        {
            await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 2_000, null, null, $"d{day}"), Owner);
            Clock.Advance(TimeSpan.FromDays(1));
        }
        SignInAsOwner(account);

        var page = RenderPage<GetSendings>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=upgrade-offer-Email]")));
        Assert.Empty(page.FindAll("[data-testid=upgrade-offer-Sms]"));
        page.Find("[data-testid=upgrade-offer-Email] input[name=upgrade-Email-subscribers]").Input("3000");
        page.WaitForAssertion(() => Assert.Contains("Standard for 3,000 subscribers: 50.00 EUR per billing cycle, 36,000 credits per cycle",
            page.Find("[data-testid=upgrade-price]").Text()));

        page.Find("[data-testid=upgrade-offer-Email] form").Submit();
        page.WaitForAssertion(() => Assert.Contains("50.00 EUR per billing cycle and 36,000 credits per cycle", page.Find(".mud-dialog").TextContent));
        Assert.Equal(Plan.Free, (await WalletAsync(account.Id)).Plan);   // nothing changes before the confirmation
        // Joined on 29 Nov, 23 of the cycle's 30 days left (22 Nov – 22 Dec): 50.00 × 23/30 and 36,000 × 23/30 now.
        Assert.Contains("You pay 38.33 EUR now for the 23 of 30 days left in this cycle, which adds 27,600 credits", page.Find(".mud-dialog").TextContent);
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Pay 38.33 EUR")).Click();

        page.WaitForAssertion(() => Assert.Equal(Plan.Standard, WalletAsync(account.Id).Result.Plan));
        Assert.Equal(3_000, (await WalletAsync(account.Id)).SubscriberCount);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=upgrade-offer-Email]")));
        Assert.Contains("The Email plan is now Standard.", page.Find(".mud-snackbar").TextContent);
    }

    [Fact]
    public async Task The_free_plan_with_plenty_left_shows_no_upgrade_offer()
    {
        var account = await CreateAccountAsync();
        await Ledger.ChangePlanAsync(account.Id, Channel.Email, Plan.Free, null, null, Owner);
        SignInAsOwner(account);

        var page = RenderPage<GetSendings>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=catalog-Email]")));
        Assert.Empty(page.FindAll("[data-testid=upgrade-offer-Email]"));
    }

    [Fact]
    public async Task Charge_now_on_standard_shows_the_quote_before_paying_then_adds_the_refill()
    {
        var account = await CreateAccountAsync();
        await PayForPlanAsync(account.Id, Channel.Email, Plan.Standard, 1_000, null, Owner);   // 30.00 EUR, 12,000 credits
        Clock.Advance(TimeSpan.FromDays(10));   // cycle 22 Nov – 22 Dec (30 days): 20 days left, 3 weeks
        SignInAsOwner(account);
        var page = RenderPage<GetSendings>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=charge-now-Email]")));
        Assert.Empty(page.FindAll("[data-testid=charge-now-Sms]"));

        page.Find("[data-testid=charge-now-Email]").Click();

        // R8: 30.00 × 20/30 = 20.00; 12,000 / 3 weeks = 4,000.
        page.WaitForAssertion(() => Assert.Contains("4,000 extra Email credits for 20.00 EUR", page.Find("[data-testid=charge-now-quote]").TextContent));
        Assert.Contains("20 of 30 days are left in this billing cycle (3 weeks)", page.Find("[data-testid=charge-now-explained]").TextContent);
        Assert.Equal(12_000, (await WalletAsync(account.Id)).Total);

        page.Find("[data-testid=charge-now-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("Paid 20.00 EUR: 4,000 Email credits were added. Your Email balance is now 16,000.", page.Find(".mud-snackbar").TextContent));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=charge-now-dialog]")));
        var wallet = await WalletAsync(account.Id);
        Assert.Equal(16_000, wallet.Total);
        Assert.Contains(wallet.Lots, l => l.Kind == LotKind.Refill && l.Quantity == 4_000 && l.ExpiresAt == wallet.CycleEndsAt);
    }

    private async Task<int> OrderCountAsync(long accountId)
    {
        await using var db = Database.CreateContext();
        return await db.Orders.CountAsync(o => o.AccountId == accountId);
    }
}
