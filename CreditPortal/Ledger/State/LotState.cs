namespace CreditPortal.Ledger.State;

/// <summary>The writer's in-memory copy of an active lot (remaining &gt; 0, not expired).</summary>
public sealed class LotState
{
    public long Id { get; init; }
    public long WalletId { get; init; }
    public LotKind Kind { get; init; }
    public long Quantity { get; init; }
    public long Remaining { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The nearest expiry reminder sent or passed (<see cref="Lot.RemindedDaysBefore"/>).</summary>
    public int? RemindedDaysBefore { get; set; }
}
