namespace CreditPortal.Ledger;

/// <summary>Configuration section <c>Ledger</c>: the writer's limits, so that one account or a burst of traffic
/// cannot grow memory and latency until every caller times out.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>Commands waiting for the writer at most. Past it, a caller is told "busy" at once (API: 503 with
    /// Retry-After) instead of joining a queue it would time out in.</summary>
    public int QueueLimit { get; set; } = 20_000;

    /// <summary>What a busy answer asks the caller to wait before trying again.</summary>
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lists one account may have (422 <c>list_limit</c> past it).</summary>
    public int MaxListsPerAccount { get; set; } = 1_000;

    /// <summary>Sends one account may have queued at once (422 <c>queue_full</c> past it): each waits in memory.</summary>
    public int MaxQueuedSendsPerAccount { get; set; } = 10_000;

    /// <summary>Queued sends released by one writer command; the rest follow in the next commands, so a long queue
    /// never holds the writer (and every other account) for one huge command.</summary>
    public int ReleaseChunk { get; set; } = 200;

    /// <summary>Past this size of the WAL file (MiB) the writer restarts the WAL, pausing new exports until it can
    /// (<see cref="Data.WalCheckpoint"/>).</summary>
    public long WalCheckpointMiB { get; set; } = 256;
}
