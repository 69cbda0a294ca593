using CreditPortal.Ledger;

namespace CreditPortal.Features.Balance;

public enum ForecastKind
{
    /// <summary>Pro plan: sends are never refused for credits.</summary>
    Unlimited,
    /// <summary>Nothing left now.</summary>
    Empty,
    /// <summary>Nothing was spent in the window, so there is no rate to extrapolate.</summary>
    NoRecentUse,
    /// <summary>At the window's rate the credits run out at <see cref="CreditForecast.RunsOutAt"/>.</summary>
    RunsOut,
    /// <summary>At the window's rate the credits last longer than <see cref="CreditForecast.HorizonDays"/>.</summary>
    BeyondHorizon,
}

/// <summary>
/// When a wallet's credits run out if it keeps spending at the rate of the last
/// <see cref="WindowDays"/> local days. Walks the lots in consumption order (R1) like the ledger spends
/// them, so a lot that expires before spending reaches it is lost, not counted as time (R5). Counts only
/// the credits there are now: a future free top-up (R2) or plan cycle (R7) is not assumed.
/// </summary>
public sealed record CreditForecast(ForecastKind Kind, decimal CreditsPerDay, DateTimeOffset? RunsOutAt, long LostToExpiry)
{
    public const int WindowDays = 30;
    public const int HorizonDays = 3650;

    /// <param name="plan">The wallet's plan (Pro is unlimited).</param>
    /// <param name="lots">The wallet's unexpired lots in consumption order (as <see cref="WalletView.Lots"/> has them).</param>
    /// <param name="creditsUsedInWindow">Credits drawn over the last <see cref="WindowDays"/> local days.</param>
    /// <param name="now">The current instant.</param>
    public static CreditForecast Compute(Plan plan, IReadOnlyList<LotView> lots, long creditsUsedInWindow, DateTimeOffset now)
    {
        if (plan == Plan.Pro) return new(ForecastKind.Unlimited, 0, null, 0);
        var live = lots.Where(l => l.Remaining > 0 && (l.ExpiresAt is null || l.ExpiresAt > now)).ToList();
        if (live.Count == 0) return new(ForecastKind.Empty, 0, now, 0);
        var perDay = Math.Max(0, creditsUsedInWindow) / (decimal)WindowDays;
        if (perDay == 0) return new(ForecastKind.NoRecentUse, 0, null, 0);

        var horizon = now.AddDays(HorizonDays);
        var t = now;
        long lost = 0;
        foreach (var lot in live)
        {
            var daysToSpend = lot.Remaining / perDay;
            if (lot.ExpiresAt is not { } expires)
            {
                if ((decimal)(horizon - t).TotalDays <= daysToSpend) return new(ForecastKind.BeyondHorizon, perDay, null, lost);
                t = t.AddDays((double)daysToSpend);
                continue;
            }
            if (t >= expires)
            {
                lost += lot.Remaining;
                continue;
            }
            var daysUntilExpiry = (decimal)(expires - t).TotalDays;
            if (daysToSpend <= daysUntilExpiry)
            {
                t = t.AddDays((double)daysToSpend);
            }
            else
            {
                // Spending reaches the expiry first: what is not spent by then leaves the wallet.
                lost += lot.Remaining - (long)decimal.Floor(daysUntilExpiry * perDay);
                t = expires;
            }
            if (t > horizon) return new(ForecastKind.BeyondHorizon, perDay, null, lost);
        }
        return new(ForecastKind.RunsOut, perDay, t, lost);
    }
}
