namespace CreditPortal.Ledger;

/// <summary>One page of a history and where the next one starts (null: this is the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, PageCursor? Next);
