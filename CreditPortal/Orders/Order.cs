using CreditPortal.Ledger;

namespace CreditPortal.Orders;

/// <summary>A purchase: a pack (R3), a charge-now refill (R8), an auto-renewal (R10), a move to a paid plan or a paid
/// plan's new cycle (R7). Created Pending
/// before the payment provider is asked, so a crash in between is recovered with the same payment key.</summary>
public sealed class Order
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public Channel Channel { get; set; }
    public OrderKind Kind { get; set; }
    public string? PackId { get; set; }

    /// <summary>R7 plan orders: the plan bought and what prices it (subscribers for Standard and Pro, the tier for Monthly).</summary>
    public Plan? Plan { get; set; }
    public long? SubscriberCount { get; set; }
    public long? MonthlyCredits { get; set; }
    public long Credits { get; set; }
    public decimal Price { get; set; }
    public string Currency { get; set; } = "EUR";
    public OrderStatus Status { get; set; }
    public required string IdempotencyKey { get; set; }
    public required string RequestHash { get; set; }
    public string? PaymentToken { get; set; }
    public string? PaymentReference { get; set; }
    public string? DeclineReason { get; set; }
    public long? LotId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string Actor { get; set; } = "";
}
