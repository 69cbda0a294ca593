namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R2: each distinct owned product type contributes its monthly free email quota; owning one or several
/// of a type counts once. The top-up is never additive: it only fills up to the quota.
/// </summary>
public static class FreeQuota
{
    public static long Of(IEnumerable<string> ownedTypes, IReadOnlyDictionary<string, long> quotaByType)
        => ownedTypes.Distinct(StringComparer.OrdinalIgnoreCase)
            .Sum(t => quotaByType.TryGetValue(t, out var q) ? q : 0);

    /// <summary>The free lot granted at a month start: max(0, Q − B), B the remaining of all other lots.</summary>
    public static long TopUp(long quota, long otherRemaining) => Math.Max(0, quota - otherRemaining);

    /// <summary>What each owned type contributes (the balance page's "Details").</summary>
    public static IReadOnlyList<(string ProductType, long Quota)> Details(IEnumerable<string> ownedTypes, IReadOnlyDictionary<string, long> quotaByType)
        => ownedTypes.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(t => (t, quotaByType.TryGetValue(t, out var q) ? q : 0))
            .OrderBy(d => d.t, StringComparer.OrdinalIgnoreCase)
            .ToList();
}
