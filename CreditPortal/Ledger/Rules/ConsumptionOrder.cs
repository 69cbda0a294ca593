using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R1: non-expiring lots first, oldest first; then expiring lots, soonest expiry first. Ties (same
/// expiry) go to the older lot, so the order is total and stable.
/// </summary>
public sealed class ConsumptionOrder : IComparer<LotState>
{
    public static readonly ConsumptionOrder Instance = new();

    public int Compare(LotState? x, LotState? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return (x.ExpiresAt, y.ExpiresAt) switch
        {
            (null, null) => x.Id.CompareTo(y.Id),
            (null, _) => -1,
            (_, null) => 1,
            var (a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : x.Id.CompareTo(y.Id),
        };
    }
}
