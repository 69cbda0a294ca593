using CreditPortal.Data;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Demo;

/// <summary>With <c>Demo:Seed=true</c>, the first start creates a demo account with an owner login and a
/// support login. It keys on the owner's email, so later starts change nothing.</summary>
public static class DemoSeeder
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var logins = sp.GetRequiredService<PortalUsers>();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoSeeder));

        if (await logins.FindByEmailAsync(DemoOptions.SupportEmail) is null)
            Check(await logins.CreateSupportAsync(DemoOptions.SupportEmail, DemoOptions.SupportPassword));

        if (await logins.FindByEmailAsync(DemoOptions.OwnerEmail) is not null) return;

        var clock = sp.GetRequiredService<TimeProvider>();
        await using var db = await sp.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContextAsync(cancellationToken);
        var account = new Account
        {
            Name = DemoOptions.AccountName,
            TimeZoneId = "Europe/Rome",
            ProductTypes = ["Ticketing", "Domain"],
            BillingContacts = ["billing@demo.creditportal.local"],
            CreatedAt = clock.GetUtcNow(),
        };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        Check(await logins.CreateOwnerAsync(account.Id, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword));
        logger.LogInformation("Demo data seeded: account {AccountId}, owner {Owner}, support {Support}",
            account.Id, DemoOptions.OwnerEmail, DemoOptions.SupportEmail);
    }

    private static void Check(Microsoft.AspNetCore.Identity.IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
