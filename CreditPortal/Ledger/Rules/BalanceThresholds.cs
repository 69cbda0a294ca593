namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R10 thresholds, inclusive and in whole numbers (1,500 of 10,000 is 15%): remaining × 100 ≤ percent ×
/// last purchase.
/// </summary>
public static class BalanceThresholds
{
    public static bool AtOrBelow(long remaining, long lastPurchase, int percent)
        => lastPurchase > 0 && remaining * 100 <= (long)percent * lastPurchase;

    /// <summary>The low-balance alerts, most severe first, with their bit in <see cref="Wallet.ArmedAlerts"/>.</summary>
    public static readonly IReadOnlyList<(AlertKind Kind, int Percent, int Bit)> Alerts =
    [
        (AlertKind.Depleted, 0, WalletAlertBits.Depleted),
        (AlertKind.LowBalance5, 5, WalletAlertBits.LowBalance5),
        (AlertKind.LowBalance15, 15, WalletAlertBits.LowBalance15),
    ];
}
