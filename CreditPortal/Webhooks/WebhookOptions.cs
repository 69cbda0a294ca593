namespace CreditPortal.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Whether an endpoint may be <c>http://</c>. Null (the default): only in the Development environment.</summary>
    public bool? AllowHttp { get; set; }

    /// <summary>How often the dispatcher looks for new events and due attempts (real time).</summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Events are read only once they are this old: a ledger batch takes its instant before it commits, so a row dated 12:00:00.000
    /// can become visible a little after 12:00:00.000. The high-water mark stays this far behind the clock, so such a row is never
    /// skipped; it bounds how late a commit may be (batch time, and with several instances the skew of their clocks).
    /// </summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry waits this long (± 20% jitter), doubling per failed attempt up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery is given up this long after it was created (or resent).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>One attempt's limit (connect, send, the answer's headers), in real time.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed attempt holds its delivery: outlasts any attempt, so only a crash lets it run out.</summary>
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Endpoints an account may have.</summary>
    public int MaxEndpointsPerAccount { get; set; } = 10;
}
