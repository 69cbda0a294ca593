namespace CreditPortal.Webhooks;

/// <summary>One event for one endpoint: the outbox row. Created with its payload frozen, then tried until a 2xx answer or until
/// <see cref="RetryUntil"/> has passed (then <see cref="GivenUpAt"/>). Unique per endpoint and <see cref="EventId"/>.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long EndpointId { get; set; }
    public long AccountId { get; set; }

    /// <summary>Stable: the same event has the same id on every attempt and every resend, so a receiver can de-duplicate.</summary>
    public required string EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>When the event happened (the alert's instant, the consumption's decision or request).</summary>
    public DateTimeOffset EventAt { get; set; }

    /// <summary>The exact body every attempt sends (JSON, UTF-8).</summary>
    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Attempts claimed since it was created or resent: each is counted before it is made.</summary>
    public int Attempts { get; set; }

    /// <summary>While pending: no attempt before this instant (during an attempt: the end of its claim). Null once delivered or
    /// given up.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>The receiver's last HTTP status (null: no answer, see <see cref="LastError"/>).</summary>
    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? GivenUpAt { get; set; }

    /// <summary>Attempts stop after this: 24 hours (<see cref="WebhookOptions.RetryFor"/>) after it was created or resent.</summary>
    public DateTimeOffset RetryUntil { get; set; }
}
