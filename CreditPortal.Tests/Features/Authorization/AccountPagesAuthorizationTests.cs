using Bunit;
using CreditPortal.Features.Alerts;
using CreditPortal.Features.Balance;
using CreditPortal.Features.Lists;
using CreditPortal.Features.Orders;
using CreditPortal.Features.Plans;
using CreditPortal.Features.Settings;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Authorization;

/// <summary>Every account page: an owner sees only their own account; support sees any; controls wait for the circuit.</summary>
public sealed class AccountPagesAuthorizationTests : PortalBunitContext
{
    public AccountPagesAuthorizationTests() => Services.AddSingleton<CreditPortal.Api.ApiKeyService>();

    public static TheoryData<string> Pages => ["balance", "get-sendings", "lists", "plans", "settings", "alerts", "api-keys"];

    private static readonly Dictionary<string, (Type Page, string Marker)> ByName = new()
    {
        ["balance"] = (typeof(CreditPortal.Features.Balance.Balance), "[data-testid=balance]"),
        ["get-sendings"] = (typeof(GetSendings), "[data-testid=get-sendings]"),
        ["lists"] = (typeof(CreditPortal.Features.Lists.Lists), "[data-testid=lists-page]"),
        ["plans"] = (typeof(CreditPortal.Features.Plans.Plans), "[data-testid=plans-page]"),
        ["settings"] = (typeof(CreditPortal.Features.Settings.Settings), "[data-testid=settings-page]"),
        ["alerts"] = (typeof(CreditPortal.Features.Alerts.Alerts), "[data-testid=alerts-page]"),
        ["api-keys"] = (typeof(CreditPortal.Features.ApiKeys.ApiKeys), "[data-testid=api-keys-page]"),
    };

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> Render(string name, long accountId)
        => Render(b =>
        {
            b.OpenComponent(0, ByName[name].Page);
            b.AddAttribute(1, "AccountId", accountId);
            b.CloseComponent();
        });

    [Theory, MemberData(nameof(Pages))]
    public async Task An_owner_asking_for_another_account_gets_not_found_and_none_of_its_data(string name)
    {
        var mine = await CreateAccountAsync("Mine Co");
        var theirs = await CreateAccountAsync("Secret Competitor Ltd", billingContacts: ["ceo@secret.test"]);
        await Ledger.CreateListAsync(theirs.Id, "Secret launch list", CreditPortal.Ledger.Actor.Owner("x@secret.test"));
        SignInAsOwner(mine);

        var page = Render(name, theirs.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=not-found]")));
        Assert.Empty(page.FindAll(ByName[name].Marker));
        Assert.DoesNotContain("Secret", page.Markup);
        Assert.DoesNotContain("ceo@secret.test", page.Markup);
    }

    [Theory, MemberData(nameof(Pages))]
    public async Task An_owner_sees_their_own_account(string name)
    {
        var mine = await CreateAccountAsync("Mine Co");
        SignInAsOwner(mine);

        var page = Render(name, mine.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find(ByName[name].Marker)));
        Assert.Empty(page.FindAll("[data-testid=not-found]"));
    }

    [Theory, MemberData(nameof(Pages))]
    public async Task Support_sees_any_account(string name)
    {
        var account = await CreateAccountAsync("Customer Co");
        SignInAsSupport();

        var page = Render(name, account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find(ByName[name].Marker)));
    }

    [Theory, MemberData(nameof(Pages))]
    public async Task Controls_are_disabled_until_the_circuit_is_live(string name)
    {
        var mine = await CreateAccountAsync("Mine Co");
        await Ledger.CreateListAsync(mine.Id, "News", CreditPortal.Ledger.Actor.Owner("owner@example.test"));
        SignInAsOwner(mine);
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var page = Render(name, mine.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find(ByName[name].Marker)));
        // MudBlazor's switches, radios and check boxes are inputs too, so one check covers every control.
        var controls = page.FindAll("button, input, textarea").Where(e => e.GetAttribute("type") != "hidden").ToList();
        if (name is not ("balance" or "alerts")) Assert.NotEmpty(controls);
        Assert.All(controls, c => Assert.True(c.HasAttribute("disabled"), c.OuterHtml[..Math.Min(200, c.OuterHtml.Length)]));
    }
}
