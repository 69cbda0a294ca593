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
        return services;
    }
}
