using Bunit;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PlansPage = CreditPortal.Features.Plans.Plans;

namespace CreditPortal.Tests.Features.Plans;

public sealed class PlansPageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    private async Task<(Account, IRenderedComponent<Bunit.Rendering.ContainerFragment>)> OpenAsync(Func<Account, Task>? arrange = null)
    {
        var account = await CreateAccountAsync();
        if (arrange is not null) await arrange(account);
        SignInAsOwner(account);
        var page = RenderPage<PlansPage>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-Email]")));
        return (account, page);
    }

    private static void Choose(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, string form, string testId, string label)
        => page.FindAll($"[data-testid={form}] [data-testid={testId}] label")
            .Single(b => b.TextContent.Trim().StartsWith(label, StringComparison.Ordinal))
            .QuerySelector("input[type=radio]")!.Click();

    /// <summary>The confirmation dialog (MudMessageBox) that every plan change goes through.</summary>
    private static AngleSharp.Dom.IElement Confirmation(IRenderedComponent<Bunit.Rendering.ContainerFragment> page) => page.Find(".mud-dialog");

    private static void Press(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, string button)
        => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == button).Click();

    [Fact]
    public async Task Shows_each_wallet_s_current_plan()
    {
        var (_, page) = await OpenAsync(a => PayForPlanAsync(a.Id, Channel.Sms, Plan.Standard, 2_000, null, Owner));

        Assert.Contains("Current plan: Packs.", page.Find("[data-testid=plan-Email] [data-testid=current-plan]").Text());
        Assert.Contains("Current plan: Standard. 2,000 subscribers: 24,000 credits per billing cycle for 30.00 EUR.",
            page.Find("[data-testid=plan-Sms] [data-testid=current-plan]").Text());
        // Plan started 22 Nov 2026 in Rome: the cycle ends at 00:00 Rome time on 22 Dec.
        Assert.Contains("22 Dec 2026, 00:00", page.Find("[data-testid=plan-Sms] [data-testid=cycle-ends]").Text());
    }

    [Fact]
    public async Task Packs_to_monthly_needs_the_explicit_one_way_confirmation()
    {
        var (account, page) = await OpenAsync();

        Choose(page, "plan-form-Email", "plan-choice", "Monthly");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-form-Email] [data-testid=plan-tier]")));
        Choose(page, "plan-form-Email", "plan-tier", "50,000 credits");
        page.Find("[data-testid=plan-form-Email]").Submit();

        page.WaitForAssertion(() => Assert.Equal("Confirm that you understand Monthly is one-way.",
            page.Find("[data-testid=plan-form-Email] [data-testid=error-confirmOneWay]").Text()));
        Assert.Equal("plan-Email-confirmOneWay-message", page.Find("[data-testid=plan-form-Email] [data-testid=plan-one-way]").GetAttribute("aria-describedby"));
        Assert.Empty(page.FindAll(".mud-dialog"));
        Assert.Equal(Plan.Packs, (await WalletAsync(account.Id)).Plan);

        page.Find("[data-testid=plan-form-Email] [data-testid=plan-one-way]").Change(true);
        page.Find("[data-testid=plan-form-Email]").Submit();
        page.WaitForAssertion(() => Assert.Contains("Monthly is one-way: this wallet can never switch back.", Confirmation(page).Text()));
        Assert.Contains("You pay 55.00 EUR now", Confirmation(page).Text());
        Assert.Equal(Plan.Packs, (await WalletAsync(account.Id)).Plan);   // not before the dialog's OK
        Press(page, "Pay 55.00 EUR");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-Email] [data-testid=monthly-locked]")));
        var wallet = await WalletAsync(account.Id);
        Assert.Equal(Plan.Monthly, wallet.Plan);
        Assert.Equal(50_000, wallet.MonthlyCredits);
        Assert.True(wallet.MonthlyLocked);
    }

    [Fact]
    public async Task Once_on_monthly_no_other_plan_is_offered_only_another_volume()
    {
        var (account, page) = await OpenAsync(a => PayForPlanAsync(a.Id, Channel.Email, Plan.Monthly, null, 10_000, Owner));

        var form = page.Find("[data-testid=plan-form-Email]");
        Assert.NotNull(form.QuerySelector("[data-testid=monthly-locked]"));
        Assert.Null(form.QuerySelector("[data-testid=plan-choice]"));
        Assert.Null(form.QuerySelector("[data-testid=plan-one-way]"));
        Assert.DoesNotContain("Packs", form.Text());
        Assert.Equal(3, form.QuerySelectorAll("[data-testid=plan-tier] input[type=radio]").Length);

        Choose(page, "plan-form-Email", "plan-tier", "125,000 credits");
        page.Find("[data-testid=plan-form-Email]").Submit();
        page.WaitForAssertion(() => Assert.Contains("applies from the next billing cycle", Confirmation(page).Text()));
        Press(page, "Change plan");

        page.WaitForAssertion(() => Assert.Contains(Queries.GetAuditAsync(account.Id).Result.Items, a => a.After == "Monthly (125000 credits) from the next cycle"));
        Assert.Equal(10_000, (await WalletAsync(account.Id)).MonthlyCredits);
        page.WaitForAssertion(() => Assert.Contains("125,000", page.Find("[data-testid=plan-next-cycle]").TextContent));
        Assert.Equal(Plan.Monthly, (await WalletAsync(account.Id)).Plan);
    }

    [Fact]
    public async Task Standard_needs_a_subscriber_count_and_shows_its_price()
    {
        var (account, page) = await OpenAsync();

        Choose(page, "plan-form-Sms", "plan-choice", "Standard");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-form-Sms] input[name=plan-Sms-subscribers]")));
        page.Find("[data-testid=plan-form-Sms]").Submit();
        // The refusal sits under the input, which is marked invalid and described by it.
        page.WaitForAssertion(() => Assert.Contains("Enter your number of subscribers", page.Find("#plan-Sms-subscriberCount-message").Text()));
        Assert.Equal("true", page.Find("[data-testid=plan-form-Sms] input[name=plan-Sms-subscribers]").GetAttribute("aria-invalid"));

        page.Find("[data-testid=plan-form-Sms] input[name=plan-Sms-subscribers]").Input("400");
        page.WaitForAssertion(() => Assert.Equal("400 subscribers: 4,800 credits per billing cycle for 16.00 EUR.",
            page.Find("[data-testid=plan-form-Sms] [data-testid=plan-description]").Text()));
        page.Find("[data-testid=plan-form-Sms]").Submit();
        page.WaitForAssertion(() => Assert.Contains("You pay 16.00 EUR now", Confirmation(page).Text()));
        Press(page, "Pay 16.00 EUR");

        page.WaitForAssertion(() => Assert.Equal(Plan.Standard, WalletAsync(account.Id, Channel.Sms).Result.Plan));
        page.WaitForAssertion(() => Assert.Contains("The SMS plan is now Standard.", page.Find(".mud-snackbar").TextContent));
        Assert.Equal(4_800, (await WalletAsync(account.Id, Channel.Sms)).Total);
        Assert.Equal(Plan.Packs, (await WalletAsync(account.Id)).Plan);
    }

    [Fact]
    public async Task Cancelling_the_confirmation_changes_nothing()
    {
        var (account, page) = await OpenAsync();

        Choose(page, "plan-form-Email", "plan-choice", "Free");
        page.Find("[data-testid=plan-form-Email]").Submit();
        page.WaitForAssertion(() => Assert.NotNull(Confirmation(page)));
        Press(page, "Cancel");

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.Equal(Plan.Packs, (await WalletAsync(account.Id)).Plan);
        Assert.Empty(page.FindAll(".mud-snackbar"));   // nothing was saved, so nothing is announced
        Assert.False(page.Find("[data-testid=plan-form-Email] [data-testid=plan-save]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_paid_plan_shows_its_price_before_paying_and_a_declined_card_changes_nothing()
    {
        var (account, page) = await OpenAsync();

        Choose(page, "plan-form-Email", "plan-choice", "Pro");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-form-Email] input[name=plan-Email-subscribers]")));
        page.Find("[data-testid=plan-form-Email] input[name=plan-Email-subscribers]").Input("3000");
        Assert.NotNull(page.Find("[data-testid=plan-form-Email] [data-testid=test-payment-notice]"));
        Choose(page, "plan-form-Email", "payment-token", "Is declined");
        page.Find("[data-testid=plan-form-Email]").Submit();
        page.WaitForAssertion(() => Assert.Contains("You pay 109.00 EUR now for the 30 of 30 days left", Confirmation(page).Text()));
        Assert.Equal(0, await PlanOrderCountAsync(account.Id));   // nothing is charged before the dialog's OK
        Press(page, "Pay 109.00 EUR");

        page.WaitForAssertion(() => Assert.Contains("The payment was declined (card_declined)", page.Find("[data-testid=plan-form-Email]").Text()));
        Assert.Equal(Plan.Packs, (await WalletAsync(account.Id)).Plan);

        Choose(page, "plan-form-Email", "payment-token", "Pays");
        page.Find("[data-testid=plan-form-Email]").Submit();
        page.WaitForAssertion(() => Assert.NotNull(Confirmation(page)));
        Press(page, "Pay 109.00 EUR");

        page.WaitForAssertion(() => Assert.Equal(Plan.Pro, WalletAsync(account.Id).Result.Plan));
        Assert.Equal(2, await PlanOrderCountAsync(account.Id));   // the declined order and the paid one, each under its own key
    }

    [Fact]
    public async Task Without_a_payment_provider_the_page_says_so_and_a_paid_plan_is_refused()
    {
        Services.AddSingleton(new CreditPortal.Orders.PaymentsOptions());
        var (account, page) = await OpenAsync();

        Assert.Contains("Payments are not set up", page.Find("[data-testid=payments-not-set-up]").TextContent);
        Choose(page, "plan-form-Email", "plan-choice", "Standard");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-form-Email] input[name=plan-Email-subscribers]")));
        page.Find("[data-testid=plan-form-Email] input[name=plan-Email-subscribers]").Input("1000");
        page.Find("[data-testid=plan-form-Email]").Submit();
        page.WaitForAssertion(() => Assert.NotNull(Confirmation(page)));
        Press(page, "Pay 30.00 EUR");

        page.WaitForAssertion(() => Assert.Contains("Payments are not set up", page.Find("[data-testid=plan-form-Email]").Text()));
        Assert.Equal(Plan.Packs, (await WalletAsync(account.Id)).Plan);
        Assert.Equal(0, await PlanOrderCountAsync(account.Id));
    }

    private async Task<int> PlanOrderCountAsync(long accountId)
    {
        await using var db = Database.CreateContext();
        return db.Orders.Count(o => o.AccountId == accountId && o.Kind == CreditPortal.Ledger.OrderKind.Plan);
    }

    [Fact]
    public async Task Help_me_choose_sends_the_monthly_volume_and_shows_support_s_answer()
    {
        var (account, page) = await OpenAsync();
        var form = page.Find("[data-testid=help-form]");

        form.Submit(); // no volume yet
        page.WaitForAssertion(() => Assert.Contains("messages you send in a month", page.Find("#help-me-choose-monthlyVolume-message").TextContent));
        var help = Services.GetRequiredService<CreditPortal.Support.PlanHelp>();
        Assert.Empty(await help.ForAccountAsync(account.Id));

        page.Find("#help-volume").Input("40000");
        page.Find("#help-message").Change("Mostly newsletters.");
        page.Find("[data-testid=help-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains("your request was sent", page.Find(".mud-snackbar").TextContent));
        page.WaitForAssertion(() => Assert.Equal("open", page.Find("[data-testid=help-request-status]").TextContent.Trim()));
        Assert.Contains("40,000 messages a month", page.Find("[data-testid=help-request]").TextContent);
        Assert.NotNull(page.Find("[data-testid=help-waiting]"));
        var request = Assert.Single(await help.OpenAsync());
        Assert.Equal((account.Id, 40_000L, "Mostly newsletters."), (request.AccountId, request.MonthlyVolume, request.Message));

        await help.AnswerAsync(request.Id, "Monthly 50,000 fits best.", Actor.Support("Olivia Ops"));
        var again = RenderPage<PlansPage>(account.Id);
        again.WaitForAssertion(() => Assert.Contains("Monthly 50,000 fits best.", again.Find("[data-testid=help-answer]").TextContent));
    }
}
