using Bunit;
using CreditPortal.Features.Support;
using CreditPortal.Ledger;
using CreditPortal.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Support;

public sealed class SupportPagesTests : SupportBunitContext
{
    [Fact]
    public async Task Search_FindsByName_ById_AndByOwnerEmail_AndSaysWhenNothingMatches()
    {
        var acme = await CreateAccountIdAsync("Acme Mail");
        var beta = await CreateAccountIdAsync("Beta News");
        await Services.GetRequiredService<OwnerLogins>().CreateAsync(beta, "carla@beta.test", "Carla#Password1", Actor.Support("s@p.test"));
        SignInAsSupport();

        var page = Render<SupportHome>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=support-result-link]").Count));

        async Task<List<string>> Search(string query)
        {
            page.Find("#support-query").Input(query);
            await page.Find("[data-testid=support-search-form]").SubmitAsync();
            return page.FindAll("[data-testid=support-result-link]").Select(a => a.TextContent.Trim()).ToList();
        }

        Assert.Equal(["Acme Mail"], await Search("acme"));
        Assert.Equal(["Beta News"], await Search("carla@beta"));
        Assert.Equal(["Beta News"], await Search($"#{beta}"));
        Assert.Equal(["Acme Mail"], await Search(acme.ToString()));
        Assert.Empty(await Search("zzz-nothing"));
        Assert.Contains("No account matches", page.Find("[data-testid=support-no-results]").TextContent);
        await Search("beta");
        Assert.Contains("carla@beta.test", page.Find("[data-testid=support-results]").TextContent);
    }

    private IRenderedComponent<SupportAccount> RenderAccount(long id) => RenderPage<SupportAccount>(id).FindComponent<SupportAccount>();

    [Fact]
    public async Task WalletsAsOf_ShowTheBalanceAsItWasThen_AndRefuseAMomentToCome()
    {
        var id = await CreateAccountIdAsync("Acme");
        var list = await Ledger.CreateListAsync(id, "News", Actor.Support("s@p.test"));
        await Ledger.GrantAdjustmentAsync(id, Channel.Email, 1_000, null, "welcome", Actor.Support("s@p.test")); // 09:00 UTC, 10:00 in Rome
        Clock.MoveTo(Clock.GetUtcNow().AddHours(1));
        await Ledger.ConsumeAsync(id, new CreditPortal.Ledger.Commands.ConsumptionRequest(Channel.Email, list, 300, null, null, "s1"), Actor.Owner("o@acme.test"));
        SignInAsSupport();
        var page = RenderPage<SupportAccount>(id);
        page.WaitForAssertion(() => page.Find("#wallet-as-of-input"));

        page.Find("#wallet-as-of-input").Change("2026-11-22 10:30");
        await page.Find("[data-testid=wallet-as-of] form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Equal("1,000 credits (1,000 unassigned, 0 queued) · plan Packs",
            page.Find("[data-testid=wallet-as-of-Email] [data-testid=wallet-as-of-summary]").TextContent.Trim()));
        Assert.Contains("700 credits", page.Find("[data-testid=support-wallet-Email]").TextContent); // today's, beside it

        page.Find("#wallet-as-of-input").Change("2026-11-23 10:00");
        await page.Find("[data-testid=wallet-as-of] form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("has not come yet", page.Find("#wallet-as-of-asOf-message").TextContent));
    }

    [Fact]
    public async Task GrantingCredits_NeedsAReason_AtTheField_AndChangesNothingWithout()
    {
        var id = await CreateAccountIdAsync("Acme");
        SignInAsSupport();
        var page = RenderAccount(id);
        page.WaitForAssertion(() => page.Find("#grant-quantity"));

        page.Find("#grant-quantity").Input("500");
        await page.Find("[data-testid=grant-form] form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("reason is required", page.Find("#grant-reason-message").TextContent));
        Assert.Equal(0, (await Queries.GetWalletAsync(id, Channel.Email))!.Total);
    }

    [Fact]
    public async Task GrantingCredits_AsksForConfirmation_ThenGrantsAndAudits()
    {
        var id = await CreateAccountIdAsync("Acme");
        SignInAsSupport("agent@provider.test");
        var host = RenderPage<SupportAccount>(id);
        host.WaitForAssertion(() => host.Find("#grant-quantity"));

        host.Find("#grant-quantity").Input("500");
        host.Find("[data-testid=grant-reason]").Change("Goodwill after outage");
        var submit = host.Find("[data-testid=grant-form] form").SubmitAsync();

        host.WaitForAssertion(() => Assert.Contains("Grant 500 Email credits to Acme", host.Find(".mud-dialog").TextContent));
        Assert.Equal(0, (await Queries.GetWalletAsync(id, Channel.Email))!.Total);
        host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Grant").Click();
        await submit;

        host.WaitForAssertion(() => Assert.Contains("500 credits", host.Find("[data-testid=support-wallet-Email]").TextContent));
        var audit = (await Queries.GetAuditAsync(id)).Items;
        Assert.Contains(audit, a => a.Action == "adjustment.Email" && a.Reason == "Goodwill after outage" && a.Actor == "support:Agent Smith");
    }

    [Fact]
    public async Task ProductTypes_AreSetWithAReason_AndTopUpAtOnce()
    {
        var id = await CreateAccountIdAsync("Acme");
        SignInAsSupport();
        var page = RenderAccount(id);
        page.WaitForAssertion(() => page.Find("[data-testid=product-types-form]"));

        page.Find("[data-testid=product-types-form] input[name=product-type-Ticketing]").Change(true);
        page.Find("#product-types-reason").Change("Customer bought ticketing");
        await page.Find("[data-testid=product-types-form] form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("2,500 credits", page.Find("[data-testid=support-wallet-Email]").TextContent));
        Assert.Contains((await Queries.GetAuditAsync(id)).Items, a => a.Action == "account.productTypes" && a.After == "Ticketing");
    }

    [Fact]
    public async Task OwnerLogins_RefuseAWeakPasswordAtTheField_AndCreateAValidOne()
    {
        var id = await CreateAccountIdAsync("Acme");
        SignInAsSupport();
        var page = RenderAccount(id);
        page.WaitForAssertion(() => page.Find("#owner-email"));

        page.Find("#owner-email").Change("new.owner@acme.test");
        page.Find("#owner-password").Change("short");
        await page.Find("[data-testid=owner-login-form] form").SubmitAsync();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#owner-login-password-message")));
        Assert.Empty(await Services.GetRequiredService<AccountDirectory>().OwnerEmailsAsync(id));

        page.Find("#owner-password").Change("Long#Enough1Password");
        await page.Find("[data-testid=owner-login-form] form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("new.owner@acme.test", page.Find("[data-testid=support-owners]").TextContent));
        Assert.Contains((await Queries.GetAuditAsync(id)).Items, a => a.Action == "login.created" && a.After == "new.owner@acme.test");
    }

    [Fact]
    public async Task Support_CreatesAnApiKeyForTheAccount_ShownOnce_AndAudited()
    {
        var id = await CreateAccountIdAsync("Acme");
        SignInAsSupport("agent@provider.test");
        var page = RenderAccount(id);
        page.WaitForAssertion(() => page.Find("input[name=api-key-name]"));

        page.Find("input[name=api-key-name]").Input("SMS gateway");
        await page.Find("[data-testid=create-api-key]").SubmitAsync();

        page.WaitForAssertion(() => Assert.StartsWith("cpa_", page.Find("[data-testid=api-key-secret]").GetAttribute("value")));
        var keys = await Services.GetRequiredService<CreditPortal.Api.ApiKeyService>().ListAsync(id);
        Assert.Equal("SMS gateway", Assert.Single(keys).Name);
        Assert.Contains((await Queries.GetAuditAsync(id)).Items, a => a.Action == "apikey.created" && a.Actor == "support:Agent Smith");
    }

    [Fact]
    public void AnUnknownAccount_IsNotFound()
    {
        SignInAsSupport();
        var page = RenderAccount(4242);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=not-found]")));
    }

    [Fact]
    public async Task Plan_help_requests_are_answered_and_closed_from_the_dashboard_and_audited()
    {
        var id = await CreateAccountIdAsync("Chooser Co");
        var help = Services.GetRequiredService<PlanHelp>();
        var request = await help.RequestAsync(id, 40_000, "Which plan?", Actor.Owner("owner@chooser.test"));
        SignInAsSupport(displayName: "Olivia Ops");

        var page = RenderWithProviders(b => { b.OpenComponent<SupportHome>(0); b.CloseComponent(); });
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=plan-help-request]")));
        Assert.Contains("40,000 messages a month", page.Find("[data-testid=plan-help-volume]").TextContent);
        Assert.Contains("Which plan?", page.Find("[data-testid=plan-help-message]").TextContent);

        page.Find($"form#plan-help-answer-{request} textarea").Change("Monthly 50,000 fits best.");
        page.Find($"form#plan-help-answer-{request}").Submit();
        page.WaitForAssertion(() => Assert.Contains("Answer sent to Chooser Co", page.Find(".mud-snackbar").TextContent));
        page.WaitForAssertion(() => Assert.Contains("Monthly 50,000 fits best.", page.Find("[data-testid=plan-help-current-answer]").TextContent));

        page.Find($"form#plan-help-close-{request}").Submit();
        page.WaitForAssertion(() => Assert.Contains("Close the plan help request of Chooser Co?", page.Find(".mud-dialog").TextContent));
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Close request")).Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=plan-help-none]")));

        var seen = Assert.Single(await help.ForAccountAsync(id));
        Assert.Equal(("Monthly 50,000 fits best.", false), (seen.Answer, seen.Open));
        var audit = (await Queries.GetAuditAsync(id)).Items.Where(a => a.Action.StartsWith("plan.help.")).Select(a => (a.Action, a.Actor)).ToList();
        Assert.Contains(("plan.help.answered", "support:Olivia Ops"), audit);
        Assert.Contains(("plan.help.closed", "support:Olivia Ops"), audit);
    }
}
