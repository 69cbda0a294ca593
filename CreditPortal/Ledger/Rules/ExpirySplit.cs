namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R5: when a lot expires with X remaining, X leaves the wallet first from the unassigned pool, then
/// proportionally from the lists' assignments with largest-remainder rounding, ties to the lowest list id.
/// </summary>
public static class ExpirySplit
{
    public sealed record Result(long FromUnassigned, IReadOnlyList<(long ListId, long Amount)> FromLists);

    /// <param name="expiring">X, the lot's remaining.</param>
    /// <param name="unassigned">The wallet's unassigned pool.</param>
    /// <param name="assigned">Each list's assignment (lists with 0 take nothing).</param>
    public static Result Split(long expiring, long unassigned, IEnumerable<(long ListId, long Assigned)> assigned)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expiring);
        var fromPool = Math.Min(expiring, Math.Max(0, unassigned));
        var rest = expiring - fromPool;
        if (rest == 0) return new Result(fromPool, []);

        var lists = assigned.Where(l => l.Assigned > 0).OrderBy(l => l.ListId).ToList();
        var total = lists.Sum(l => (decimal)l.Assigned);
        if (rest > total)
            throw new InvalidOperationException($"Cannot take {rest} from list assignments totalling {total}: the R4 invariant is broken.");

        // Exact shares as whole part + remainder numerator over 'total'; integers only, no float error.
        var shares = lists.Select(l =>
        {
            var product = (decimal)rest * l.Assigned;
            var whole = (long)decimal.Floor(product / total);
            var remainder = product - whole * total;
            return (l.ListId, Whole: whole, Remainder: remainder);
        }).ToList();

        var leftover = rest - shares.Sum(s => s.Whole);
        var extra = shares
            .OrderByDescending(s => s.Remainder)
            .ThenBy(s => s.ListId)
            .Take((int)leftover)
            .Select(s => s.ListId)
            .ToHashSet();

        var fromLists = shares
            .Select(s => (s.ListId, Amount: s.Whole + (extra.Contains(s.ListId) ? 1 : 0)))
            .Where(s => s.Amount > 0)
            .ToList();
        return new Result(fromPool, fromLists);
    }
}
