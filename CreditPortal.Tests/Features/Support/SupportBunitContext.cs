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
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.AppProject, "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CreditPortal"] = Database.ConnectionString })
            .Build();
        Services.AddLogging();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddSingleton(new PortalDatabase(Database.ConnectionString));
        Services.AddCreditLedger(configuration);
        Services.AddScoped(sp => Database.CreateContext());
        Services.AddIdentityCore<PortalUser>(o => { o.Password.RequiredLength = 10; o.User.RequireUniqueEmail = true; })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CreditPortalDbContext>();
        Services.AddScoped<PortalUsers>();
        Services.AddSingleton<AccountDirectory>();
        Services.AddScoped<OwnerLogins>();
        using var db = Database.CreateContext();
        foreach (var role in PortalRoles.All) db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
        db.SaveChanges();
    }

    protected CreditLedger Ledger => Services.GetRequiredService<CreditLedger>();
    protected LedgerQueries Queries => Services.GetRequiredService<LedgerQueries>();

    protected Task<long> CreateAccountAsync(string name, params string[] productTypes)
        => Ledger.CreateAccountAsync(new CreditPortal.Ledger.Commands.NewAccount(name, "Europe/Rome", productTypes), Actor.Support("seed@provider.test"));
}
