using CreditPortal.Ledger;

namespace CreditPortal.Alerts;

/// <summary>R10: shown in the portal and mailed to the billing contacts (an outbox: delivered after
/// the ledger transaction that raised it committed).</summary>
public sealed class Alert
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public Channel Channel { get; set; }
    public AlertKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Detail { get; set; }

    /// <summary>Billing contacts at the time of the alert, comma-separated.</summary>
    public string Recipients { get; set; } = "";

    public DateTimeOffset? DeliveredAt { get; set; }
    public string? DeliveryError { get; set; }
}
