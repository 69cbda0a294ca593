using CreditPortal.Ledger;

namespace CreditPortal.Orders;

/// <summary>R10: one try at buying the last pack again; a decline schedules the next try.</summary>
public sealed class AutoRenewAttempt
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public Channel Channel { get; set; }
    public required string PackId { get; set; }

    /// <summary>1 for the first try after the threshold was reached.</summary>
    public int Attempt { get; set; }

    public DateTimeOffset DueAt { get; set; }
    public AutoRenewAttemptStatus Status { get; set; }
    public long? OrderId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
