using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R9 "running low" at send time: a wallet left at or below 15% (inclusive, whole numbers as R10) of its last pack
/// purchase or plan cycle grant, whichever came last (<see cref="Wallet.LastGrantCredits"/>). Without either there is
/// nothing to measure against; Pro is unmetered, so it never runs low.
/// </summary>
public static class RunningLow
{
    public const int Percent = 15;

    /// <summary>The credits left when the wallet runs low; null when it does not.</summary>
    public static long? Remaining(WalletState wallet) => Remaining(wallet.Row.Plan, wallet.Total, wallet.Row.LastGrantCredits);

    public static long? Remaining(Plan plan, long total, long lastGrant)
        => plan != Plan.Pro && BalanceThresholds.AtOrBelow(total, lastGrant, Percent) ? total : null;
}
