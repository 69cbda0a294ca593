using Microsoft.Extensions.DependencyInjection.Extensions;
using CreditPortal.Features.Balance;

namespace CreditPortal.Features;

public static class FeatureServiceCollectionExtensions
{
    /// <summary>The read-side helpers the portal's pages use beside the ledger's own services.</summary>
    public static IServiceCollection AddPortalFeatures(this IServiceCollection services)
    {
        services.AddSingleton<WalletOutlookService>();
        services.AddSingleton<Plans.PlanText>();
        services.AddSingleton<CreditPortal.Support.SupportAttention>();
        services.AddSingleton<CreditPortal.Support.PlanHelp>();
        // The Alerts page reads an unusual-usage alert's keys (issue #17); the hourly check registers the same reader.
        services.TryAddSingleton<CreditPortal.Ledger.UnusualUsageReader>();
        return services;
    }
}
