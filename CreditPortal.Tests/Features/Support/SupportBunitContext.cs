using CreditPortal.Data;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Support;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Support;

/// <summary>bunit with the real ledger, Identity stores and support services over the test's SQLite file.</summary>
public abstract class SupportBunitContext : PortalBunitContext
{
    protected SupportBunitContext()
    {
        // The ledger comes from PortalBunitContext; support pages also need Identity stores, the directory
        // and the API-key panel's service.
        Services.AddLogging();
        Services.AddScoped(sp => Database.CreateContext());
        Services.AddIdentityCore<PortalUser>(o => { o.Password.RequiredLength = 10; o.User.RequireUniqueEmail = true; })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CreditPortalDbContext>();
        Services.AddScoped<PortalUsers>();
        Services.AddSingleton<AccountDirectory>();
        Services.AddScoped<OwnerLogins>();
        Services.AddSingleton<AccountLogins>();
        Services.AddSingleton<CreditPortal.Api.ApiKeyService>();
        using var db = Database.CreateContext();
        foreach (var role in PortalRoles.All) db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
        db.SaveChanges();
    }

    protected Task<long> CreateAccountIdAsync(string name, params string[] productTypes)
        => Ledger.CreateAccountAsync(new CreditPortal.Ledger.Commands.NewAccount(name, "Europe/Rome", productTypes), Actor.Support("seed@provider.test"));
}
