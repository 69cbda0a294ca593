namespace CreditPortal.Ledger;

/// <summary>
/// Which page of a history to read (<see cref="LedgerQueries"/>: alerts, audit trail, ledger entries).
/// <list type="bullet">
/// <item>Following a list (the API's <c>next</c>, "older"/"newer" buttons): pass the previous page's
/// <see cref="Page{T}.Next"/> as <see cref="After"/>. Every page costs the same however deep.</item>
/// <item>A pager that jumps to page N (a data grid with a total): <see cref="At"/>(N, size), i.e. <see cref="Skip"/>
/// rows; SQLite walks the skipped index entries, which is cheap for an account's alerts and audit trail and for the
/// first thousands of ledger entries.</item>
/// </list>
/// <see cref="Size"/> is clamped to 1..<see cref="LedgerQueries.MaxPageSize"/>; 0 (or <c>default</c>) means
/// <see cref="LedgerQueries.DefaultPageSize"/>.
/// </summary>
public readonly record struct PageRequest(int Size = LedgerQueries.DefaultPageSize, PageCursor? After = null, int Skip = 0)
{
    /// <summary>Page <paramref name="index"/> (0-based) of <paramref name="size"/> rows, e.g. from a grid's pager.</summary>
    public static PageRequest At(int index, int size) => new(size, null, checked(Math.Max(0, index) * Math.Clamp(size, 1, LedgerQueries.MaxPageSize)));

    /// <summary>The page after <paramref name="cursor"/> (null: the first page).</summary>
    public static PageRequest Following(PageCursor? cursor, int size = LedgerQueries.DefaultPageSize) => new(size, cursor);

    internal int Take => Size <= 0 ? LedgerQueries.DefaultPageSize : Math.Min(Size, LedgerQueries.MaxPageSize);
}
