using CreditPortal.Alerts;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Orders;
using CreditPortal.Scheduling;

namespace CreditPortal.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>The credit ledger and everything scheduled around it.</summary>
    public static IServiceCollection AddCreditLedger(this IServiceCollection services, IConfiguration configuration)
    {
        var credits = configuration.GetSection(CreditsOptions.Section).Get<CreditsOptions>() ?? new CreditsOptions();
        services.AddSingleton(credits);
        services.AddSingleton(configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions());
        services.AddSingleton<PlanPricing>();
        services.AddSingleton<SmsRates>();
        services.AddSingleton<PackCatalog>();
        services.AddSingleton<DueSignal>();
        services.AddSingleton<AlertOutboxSignal>();
        services.AddSingleton<CreditPortal.Data.WalCheckpoint>();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<LedgerQueries>();
        services.AddSingleton<WalletHistory>();
        services.AddSingleton<LedgerCheck>();
        services.AddPayments(configuration);
        services.AddSingleton<OrderService>();
        services.AddSingleton<CardUpdates>();

        // Registration order is the tie-break order at equal due instants.
        services.AddSingleton<IDueWork, LedgerDueWork>();
        services.AddSingleton<AutoRenewWork>();
        services.AddSingleton<IDueWork>(sp => sp.GetRequiredService<AutoRenewWork>());
        services.Configure<SchedulingOptions>(configuration.GetSection(SchedulingOptions.Section));
        services.AddSingleton<SetAsideWork>();
        // Not an IDueWork: recovery waits on the payment provider, so it runs in its own loop (see the class).
        services.AddSingleton<PendingOrderRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingOrderRecovery>());

        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.AddSingleton<AlertMailer>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMailer>());
        return services;
    }

    /// <summary>
    /// Issue #17: the hourly unusual-usage check (<see cref="UnusualUsageWork"/>), a scheduled work of the app's own
    /// scheduler, after the ledger's works. Not part of <see cref="AddCreditLedger"/>: the demo's history is recorded on
    /// a walked clock without it (a check every hour of thirteen months would stop the walk 9,500 times), and its
    /// tuning replay runs it over that history on purpose (docs/domain.md §6).
    /// </summary>
    public static IServiceCollection AddUnusualUsageAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(UnusualUsageOptions.Section).Get<UnusualUsageOptions>() ?? new UnusualUsageOptions());
        services.AddSingleton<UnusualUsageReader>();
        services.AddSingleton<UnusualUsageWork>();
        services.AddSingleton<IDueWork>(sp => sp.GetRequiredService<UnusualUsageWork>());
        return services;
    }
}
