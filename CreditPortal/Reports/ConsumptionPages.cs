namespace CreditPortal.Reports;

/// <summary>
/// Pages through one drill-down (<see cref="Query"/>) the way a grid asks for them, by offset, while reading them by
/// key (keyset pagination): it remembers the key of the first and last row of every page it has served, and reads a
/// page by walking from the nearest remembered key, or from either end. The next, previous, first and last page are
/// each one index seek, whatever their depth (row 900,000 costs what row 1 costs); only a jump far from every page
/// seen walks the distance between them. The count is read once, with the first page.
/// </summary>
/// <remarks>
/// One per grid and query: a new query needs a new instance. Rows that arrive meanwhile do not move a page already
/// reached: the next page continues after the last row shown. Not thread-safe (a grid asks for one page at a time).
/// </remarks>
public sealed class ConsumptionPages
{
    /// <summary>Remembered keys at most; past that the oldest half is forgotten (pages are then walked to again).</summary>
    internal const int MaxRememberedKeys = 2_000;

    private readonly ReportQueries _queries;
    private readonly SortedList<long, ConsumptionKey> _keyAt = [];

    internal ConsumptionPages(ReportQueries queries, long accountId, ConsumptionQuery query)
    {
        _queries = queries;
        AccountId = accountId;
        Query = query;
    }

    public long AccountId { get; }

    public ConsumptionQuery Query { get; }

    /// <summary>How many consumptions the query selects, once a page was read; null before.</summary>
    public long? Count { get; private set; }

    /// <summary>The rows at <paramref name="skip"/> .. <paramref name="skip"/> + <paramref name="take"/> - 1 of the drill-down's order, and the count.</summary>
    /// <exception cref="Ledger.LedgerNotFoundException">The account does not exist.</exception>
    public Task<ReportPage<ConsumptionLine>> GetAsync(long skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return _queries.ReadPageAsync(this, skip, Math.Clamp(take, 1, ReportQueries.MaxPageSize), cancellationToken);
    }

    internal void SetCount(long count) => Count ??= count;

    /// <summary>How to read rows <paramref name="skip"/> .. + <paramref name="take"/> - 1 of <paramref name="count"/> with the shortest walk.</summary>
    internal Walk Plan(long skip, int take, long count)
    {
        take = (int)Math.Min(take, Math.Max(0, count - skip));
        if (take == 0) return new Walk(null, Backward: false, Skip: 0, Take: 0);
        var last = skip + take - 1;

        // Forward from the start, or from the nearest remembered row before the page.
        var best = new Walk(null, Backward: false, Skip: skip, Take: take);
        var before = LastKeyBefore(skip);
        if (before is { } b && skip - b.Offset - 1 < best.Skip) best = new Walk(b.Key, Backward: false, Skip: skip - b.Offset - 1, Take: take);
        // Backward from the end, or from the nearest remembered row after the page.
        if (count - 1 - last < best.Skip) best = new Walk(null, Backward: true, Skip: count - 1 - last, Take: take);
        var after = FirstKeyAfter(last);
        if (after is { } a && a.Offset - 1 - last < best.Skip) best = new Walk(a.Key, Backward: true, Skip: a.Offset - 1 - last, Take: take);
        return best;
    }

    internal void Remember(long skip, IReadOnlyList<ConsumptionLine> items)
    {
        if (items.Count == 0) return;
        if (_keyAt.Count + 2 > MaxRememberedKeys)
        {
            while (_keyAt.Count > MaxRememberedKeys / 2) _keyAt.RemoveAt(0);
        }
        _keyAt[skip] = ConsumptionKey.Of(items[0]);
        _keyAt[skip + items.Count - 1] = ConsumptionKey.Of(items[^1]);
    }

    internal int RememberedKeys => _keyAt.Count;

    private (long Offset, ConsumptionKey Key)? LastKeyBefore(long offset)
    {
        // SortedList keeps its keys sorted: a binary search finds the neighbours of an offset.
        var index = LowerBound(offset) - 1;
        return index >= 0 ? (_keyAt.Keys[index], _keyAt.Values[index]) : null;
    }

    private (long Offset, ConsumptionKey Key)? FirstKeyAfter(long offset)
    {
        var index = LowerBound(offset + 1);
        return index < _keyAt.Count ? (_keyAt.Keys[index], _keyAt.Values[index]) : null;
    }

    /// <summary>The index of the first remembered offset at or after <paramref name="offset"/>.</summary>
    private int LowerBound(long offset)
    {
        int lo = 0, hi = _keyAt.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_keyAt.Keys[mid] < offset) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>A walk through the drill-down's order: from a key (null: from an end), skipping and taking rows.</summary>
    internal readonly record struct Walk(ConsumptionKey? From, bool Backward, long Skip, int Take);
}
