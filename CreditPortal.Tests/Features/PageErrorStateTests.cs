using Bunit;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features;

/// <summary>The error state of every account page: data that cannot be read gives a message, not a broken circuit.</summary>
public sealed class PageErrorStateTests : PortalBunitContext
{
    public PageErrorStateTests() => Services.AddSingleton<CreditPortal.Api.ApiKeyService>();

    public static TheoryData<Type> Pages =>
    [
        typeof(CreditPortal.Features.Balance.Balance), typeof(CreditPortal.Features.Orders.GetSendings), typeof(CreditPortal.Features.Lists.Lists),
        typeof(CreditPortal.Features.Plans.Plans), typeof(CreditPortal.Features.Settings.Settings), typeof(CreditPortal.Features.Alerts.Alerts),
        typeof(CreditPortal.Features.ApiKeys.ApiKeys),
    ];

    [Theory, MemberData(nameof(Pages))]
    public void Unreadable_account_data_shows_a_load_error(Type page)
    {
        // A row the ledger never made: no wallets, and a zone no calendar can use.
        using (var db = Database.CreateContext())
        {
            db.Accounts.Add(new Account { Name = "Broken Co", TimeZoneId = "Mars/Olympus_Mons", CreatedAt = Clock.GetUtcNow() });
            db.SaveChanges();
        }
        var broken = Queries.GetAccountAsync(1).Result!;
        SignInAsOwner(broken);

        var rendered = Render(b =>
        {
            b.OpenComponent(0, page);
            b.AddAttribute(1, "AccountId", broken.Id);
            b.CloseComponent();
        });

        rendered.WaitForAssertion(() => Assert.Contains("could not be loaded", rendered.Find("[data-testid=load-error]").TextContent));
        Assert.Empty(rendered.FindAll("[data-testid=not-found]"));
    }
}
