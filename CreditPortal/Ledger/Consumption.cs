namespace CreditPortal.Ledger;

/// <summary>One send request: all or nothing. Refused ones are recorded too (reports count them).</summary>
public sealed class Consumption
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public long ListId { get; set; }
    public Channel Channel { get; set; }

    /// <summary>Messages: recipients for email, SMS for SMS.</summary>
    public long Quantity { get; set; }

    public string? Country { get; set; }
    public int CreditsPerMessage { get; set; } = 1;

    /// <summary>Quantity × credits per message.</summary>
    public long Credits { get; set; }

    public ConsumptionStatus Status { get; set; }

    /// <summary>The status answered to the first request; a retry with the same key gets this again.</summary>
    public ConsumptionStatus InitialStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>The reason answered to the first request (a queued one keeps why it was queued).</summary>
    public string? InitialReason { get; set; }

    public string? Reference { get; set; }
    public required string IdempotencyKey { get; set; }

    /// <summary>Hash of the request body: the same key with another body is a conflict.</summary>
    public required string RequestHash { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>When it was accepted or rejected; null while queued.</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Pro plan: accepted without drawing credits.</summary>
    public bool Unmetered { get; set; }

    public string Actor { get; set; } = "";
}
