namespace CreditPortal.Data;

/// <summary>
/// Keeps SQLite's write-ahead log bounded. SQLite can restart the WAL file only at a moment when no reader still
/// reads an older snapshot; exports read in one long transaction, and when they overlap without a gap the WAL grows
/// without bound (the soak benchmark saw 2.7 GB in 7 minutes). When the WAL passes
/// <see cref="Ledger.LedgerOptions.WalCheckpointMiB"/>, the writer asks for a gap: new exports wait (429 with
/// Retry-After) while it tries a truncating checkpoint after each batch; the ones running finish within seconds
/// (or are cut by the stall timeout), the checkpoint succeeds, and exports start again.
/// </summary>
public sealed class WalCheckpoint
{
    private volatile bool _exportsPaused;

    /// <summary>True while the writer waits for the long readers to finish so that it can restart the WAL.</summary>
    public bool ExportsPaused => _exportsPaused;

    internal void Pause() => _exportsPaused = true;

    internal void Resume() => _exportsPaused = false;
}
