using CreditPortal.Ledger;

namespace CreditPortal.Orders;

/// <summary>R10: one try at buying the last pack again, or (R7, with <see cref="Plan"/>) at paying a paid plan's new
/// cycle with the saved card; a decline schedules the next try.</summary>
public sealed class AutoRenewAttempt
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public Channel Channel { get; set; }
    /// <summary>The pack auto-renew buys; empty for a plan renewal.</summary>
    public required string PackId { get; set; }

    /// <summary>R7: the paid plan whose cycle <see cref="CycleIndex"/> this attempt pays; null for a pack auto-renewal.</summary>
    public Plan? Plan { get; set; }
    public int? CycleIndex { get; set; }

    /// <summary>1 for the first try after the threshold was reached.</summary>
    public int Attempt { get; set; }

    public DateTimeOffset DueAt { get; set; }
    public AutoRenewAttemptStatus Status { get; set; }
    public long? OrderId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
