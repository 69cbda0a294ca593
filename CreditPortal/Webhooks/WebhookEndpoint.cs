namespace CreditPortal.Webhooks;

/// <summary>
/// An owner's receiver of events (issue #17): a URL, the event types it wants and the secret deliveries are signed with.
/// Its events are derived from the rows the ledger already commits (alerts, consumptions), from <see cref="ScannedThrough"/> on,
/// by <see cref="WebhookDispatcher"/>; nothing is written on the ledger's hot path.
/// </summary>
public sealed class WebhookEndpoint
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string Url { get; set; }

    /// <summary>The event types it receives (<see cref="WebhookEventTypes"/>), space-separated.</summary>
    public required string EventTypes { get; set; }

    /// <summary>The signing secret, encrypted with the app's data-protection key ring (which is in the database): shown once to the
    /// owner, never stored readable.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>The secret's first characters, to tell an old secret from a rolled one.</summary>
    public required string SecretPrefix { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Why it was disabled (by its owner, or by the receiver answering 410 Gone); null while enabled.</summary>
    public string? DisabledReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";

    /// <summary>Events at instants before this have been turned into deliveries (the high-water mark, moved in the same
    /// transaction as the deliveries it produced).</summary>
    public DateTimeOffset ScannedThrough { get; set; }
}
