namespace CreditPortal.Ledger;

/// <summary>
/// One immutable balance movement. <see cref="Quantity"/> changes the wallet's total (and the lot's
/// remaining when <see cref="LotId"/> is set); <see cref="AssignedDelta"/> changes the assignment of
/// <see cref="ListId"/>. Summing entries rebuilds every lot, wallet and allocation.
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public Channel Channel { get; set; }
    public DateTimeOffset At { get; set; }
    public LedgerEntryKind Kind { get; set; }
    public long Quantity { get; set; }
    public long AssignedDelta { get; set; }

    /// <summary>Issue #17: moves the held credits of <see cref="LotId"/> and <see cref="HoldId"/> (+ placed, − captured or released).</summary>
    public long HeldDelta { get; set; }

    /// <summary>Issue #17: the hold this entry places, captures or releases.</summary>
    public long? HoldId { get; set; }
    public long? LotId { get; set; }
    public long? ListId { get; set; }
    public long? ConsumptionId { get; set; }
    public long? OrderId { get; set; }
    public string Actor { get; set; } = "";
    public string? Reason { get; set; }

    /// <summary>Extra facts for people (e.g. an expiry's old and new date).</summary>
    public string? Detail { get; set; }
}
