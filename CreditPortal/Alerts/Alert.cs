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

    /// <summary>The last attempt's failure, or the recipients the server refused while the others got the mail.</summary>
    public string? DeliveryError { get; set; }

    /// <summary>Attempts claimed so far (see AlertMailer): each is counted before it is made.</summary>
    public int DeliveryAttempts { get; set; }

    /// <summary>While undelivered: no attempt before this instant (null: at once).</summary>
    public DateTimeOffset? NextDeliveryAt { get; set; }
}
