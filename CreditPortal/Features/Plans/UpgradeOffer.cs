using CreditPortal.Features.Balance;
using CreditPortal.Ledger;

namespace CreditPortal.Features.Plans;

/// <summary>
/// R7: running out on the Free plan offers the upgrade to Standard. "Running out" is read generously, because
/// the offer only informs: 15% or less of the cycle's credits left (R10's first alert level), nothing left,
/// sends queued, today's send limit reached, or the forecast running out before the cycle renews.
/// </summary>
public static class UpgradeOffer
{
    public const int LowPercent = 15;

    public static bool Applies(WalletView wallet, CreditForecast forecast, CreditsOptions options)
    {
        if (wallet.Plan != Plan.Free) return false;
        if (wallet.Total * 100 <= LowPercent * options.FreePlan.CreditsPerCycle) return true;
        if (wallet.Queued > 0 || wallet.SentToday >= options.FreePlan.DailySendLimit) return true;
        return forecast.Kind is ForecastKind.Empty
            || (forecast.Kind == ForecastKind.RunsOut && wallet.CycleEndsAt is { } end && forecast.RunsOutAt < end);
    }
}
