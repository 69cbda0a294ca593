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

    /// <summary>
    /// Which lots a draw of <paramref name="credits"/> takes, and how much from each: <paramref name="lots"/> in R1
    /// order, each emptied before the next. The send and its dry run both draw by this, so they cannot disagree.
    /// </summary>
    public static List<(LotState Lot, long Take)> Draws(IReadOnlyList<LotState> lots, long credits)
    {
        var draws = new List<(LotState, long)>(2);
        for (var i = 0; credits > 0; i++)
        {
            if (i == lots.Count) throw new InvalidOperationException("The lots hold fewer credits than the draw.");
            var take = Math.Min(credits, lots[i].Remaining);
            draws.Add((lots[i], take));
            credits -= take;
        }
        return draws;
    }
}
