namespace CreditPortal.Ledger;

/// <summary>A customer organisation (docs/domain.md §1).</summary>
public sealed class Account
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>IANA id; every calendar rule uses it.</summary>
    public string TimeZoneId { get; set; } = "Europe/Rome";

    public List<string> BillingContacts { get; set; } = [];

    /// <summary>Product types owned (distinct); each grants its monthly free email quota (R2).</summary>
    public List<string> ProductTypes { get; set; } = [];

    /// <summary>R9: queue sends that cannot go instead of rejecting them.</summary>
    public bool HoldWhenOutOfCredits { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>R2: the next local month start, when the free quota is topped up.</summary>
    public DateTimeOffset? NextTopUpAt { get; set; }

    /// <summary>The earliest instant any scheduled event of this account is due (expiry, top-up, plan
    /// cycle, queue release); the scheduler finds due accounts through it.</summary>
    public DateTimeOffset? NextDueAt { get; set; }
}
