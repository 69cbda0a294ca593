using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;

namespace CreditPortal.Demo;

/// <summary>With <c>Demo:Seed=true</c>, the first start creates a demo account with lists, some purchases
/// and sends, an owner login and a support login. It keys on the owner's email, so later starts change
/// nothing. Everything goes through the same services the portal uses.</summary>
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

        var ledger = sp.GetRequiredService<CreditLedger>();
        var orders = sp.GetRequiredService<OrderService>();
        var actor = Actor.Owner(DemoOptions.OwnerEmail);
        var accountId = await ledger.CreateAccountAsync(
            new NewAccount(DemoOptions.AccountName, "Europe/Rome", ["Ticketing", "Domain"], ["billing@demo.creditportal.local"]), Actor.System);
        Check(await logins.CreateOwnerAsync(accountId, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword));

        var newsletter = await ledger.CreateListAsync(accountId, "Newsletter", actor);
        var transactional = await ledger.CreateListAsync(accountId, "Transactional", actor);
        var promotions = await ledger.CreateListAsync(accountId, "Promotions", actor);

        await orders.OrderPackAsync(accountId, "email-10000", TestPaymentProvider.PayingToken, "demo-seed-email", actor, cancellationToken);
        await orders.OrderPackAsync(accountId, "sms-1000", TestPaymentProvider.PayingToken, "demo-seed-sms", actor, cancellationToken);
        await ledger.SetAllocationAsync(accountId, transactional, Channel.Email, AllocationMode.Assigned, 2_000, actor);
        await ledger.SetCapAsync(accountId, promotions, Channel.Email, true, 3_000, actor);
        await ledger.UpdateSettingsAsync(accountId, new SettingsChange(HoldWhenOutOfCredits: true), actor);

        var sends = new (long List, Channel Channel, long Quantity, string? Country, string Reference)[]
        {
            (newsletter, Channel.Email, 1_200, null, "November newsletter"),
            (transactional, Channel.Email, 340, null, "Order confirmations"),
            (promotions, Channel.Email, 2_500, null, "Black Friday teaser"),
            (transactional, Channel.Sms, 40, "IT", "Delivery notices"),
            (transactional, Channel.Sms, 10, "US", "Delivery notices US"),
        };
        var n = 0;
        foreach (var (list, channel, quantity, country, reference) in sends)
            await ledger.ConsumeAsync(accountId, new ConsumptionRequest(channel, list, quantity, country, reference, $"demo-seed-{++n}"), actor);

        logger.LogInformation("Demo data seeded: account {AccountId}, owner {Owner}, support {Support}",
            accountId, DemoOptions.OwnerEmail, DemoOptions.SupportEmail);
    }

    private static void Check(Microsoft.AspNetCore.Identity.IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
