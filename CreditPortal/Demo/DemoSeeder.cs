using System.Diagnostics;
using CreditPortal.Data;
using CreditPortal.Identity;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Demo;

/// <summary>
/// With <c>Demo:Seed=true</c>, the first start records the demo account's thirteen months of history
/// (<see cref="DemoHistory"/>) and creates its owner login and a support login. It keys on the owner's login,
/// which is created last, so later starts change nothing. Runs before the app's own ledger writer and
/// scheduler start.
/// </summary>
public static class DemoSeeder
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var logins = sp.GetRequiredService<PortalUsers>();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoSeeder));

        if (await logins.FindByEmailAsync(DemoOptions.SupportEmail) is null)
            Check(await logins.CreateSupportAsync(DemoOptions.SupportEmail, DemoOptions.SupportPassword, DemoOptions.SupportDisplayName));

        if (await logins.FindByEmailAsync(DemoOptions.OwnerEmail) is not null) return;

        long accountId;
        await using (var db = await sp.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            accountId = await db.Accounts.Where(a => a.Name == DemoOptions.AccountName).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (accountId != 0)
        {
            // A start that stopped while recording the history: the ledger is append-only, so what was recorded stays.
            logger.LogWarning("The demo account {AccountId} exists without its owner login (an earlier seed was interrupted); its history may be "
                + "incomplete. Delete the database file to seed it again", accountId);
        }
        else
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var history = await DemoHistory.RecordAsync(services, services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
            accountId = history.AccountId;
            logger.LogInformation("Demo history recorded: account {AccountId}, {Sends} sends over {Months} months in {Elapsed} ms ({Cpu} ms CPU)",
                accountId, history.Sends, DemoHistory.Months, (long)history.Elapsed.TotalMilliseconds,
                (long)(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            if (history.UnplannedRefusals > 0 || history.StillQueued > 0)
                logger.LogWarning("Demo history: {Refused} planned sends were refused, {Queued} are still queued", history.UnplannedRefusals, history.StillQueued);
        }
        Check(await logins.CreateOwnerAsync(accountId, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword));
        logger.LogInformation("Demo logins: owner {Owner}, support {Support}", DemoOptions.OwnerEmail, DemoOptions.SupportEmail);
    }

    private static void Check(Microsoft.AspNetCore.Identity.IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
