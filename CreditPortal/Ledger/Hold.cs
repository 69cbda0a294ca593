namespace CreditPortal.Ledger;

/// <summary>
/// Issue #17: credits reserved for a send that will happen later (a campaign scheduled for Friday, an SMS batch whose
/// size is known only at send time). Placed under the list's rules like a send; while Active its credits cannot be
/// spent by anything else. A capture turns up to <see cref="Quantity"/> messages into one consumption and releases the
/// rest; a void or its <see cref="ExpiresAt"/> releases everything (docs/domain.md §6, "Holds").
/// </summary>
public sealed class Hold
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public long ListId { get; set; }
    public Channel Channel { get; set; }

    /// <summary>Messages reserved (recipients for email, SMS for SMS): what counts against the list's monthly cap while held.</summary>
    public long Quantity { get; set; }

    public string? Country { get; set; }
    public int CreditsPerMessage { get; set; } = 1;

    /// <summary>Credits reserved when placed: Quantity × credits per message.</summary>
    public long Credits { get; set; }

    /// <summary>Credits still held (Credits while Active; 0 once ended). The ledger check rebuilds it from the entries.</summary>
    public long Held { get; set; }

    /// <summary>Whether the credits came out of the list's assignment (R4 Assigned) rather than the unassigned pool.</summary>
    public bool FromAssignment { get; set; }

    public HoldStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was captured, voided or expired.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Messages captured (Captured only).</summary>
    public long? CapturedQuantity { get; set; }

    /// <summary>The consumption the capture recorded (Captured only).</summary>
    public long? ConsumptionId { get; set; }

    public string? Reference { get; set; }
    public required string IdempotencyKey { get; set; }

    /// <summary>Hash of the request body: the same key with another body is a conflict.</summary>
    public required string RequestHash { get; set; }

    public string Actor { get; set; } = "";

    /// <summary>Who captured or voided it (the system for an expiry).</summary>
    public string? EndedBy { get; set; }
}
