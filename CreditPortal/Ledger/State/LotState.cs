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
}
