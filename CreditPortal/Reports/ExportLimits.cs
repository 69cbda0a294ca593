using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CreditPortal.Reports;

/// <summary>Configuration section <c>Reports</c>: how many exports may run at once, and when a download that stopped
/// reading is cut.</summary>
public sealed class ExportOptions
{
    public const string Section = "Reports";

    /// <summary>Exports running at once in this instance: each holds a read transaction and a core for seconds.</summary>
    public int MaxConcurrentExports { get; set; } = 4;

    /// <summary>Exports running at once for one account.</summary>
    public int MaxExportsPerAccount { get; set; } = 2;

    /// <summary>A download whose client has not taken a single write for this long is cut and its reader closed: a
    /// stalled reader would hold its read transaction, and with it the WAL's growth, for as long as it stalls.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>What a refused export asks the caller to wait.</summary>
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Counts the exports running, per instance and per account, and refuses one more past the limits.</summary>
public sealed class ExportLimits(IOptions<ExportOptions> options, Data.WalCheckpoint? wal = null)
{
    private readonly ConcurrentDictionary<long, int> _perAccount = new();
    private readonly object _gate = new();
    private int _running;

    public ExportOptions Options => options.Value;

    /// <summary>Exports running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>True while new exports wait for the writer to restart the WAL (<see cref="Data.WalCheckpoint"/>).</summary>
    public bool Paused => wal?.ExportsPaused == true;

    /// <summary>A lease for one export of <paramref name="accountId"/>, or null when a limit is reached or exports are
    /// paused for a WAL restart; dispose it when done.</summary>
    public IDisposable? TryStart(long accountId)
    {
        if (Paused) return null;
        lock (_gate)
        {
            var ofAccount = _perAccount.GetValueOrDefault(accountId);
            if (_running >= options.Value.MaxConcurrentExports || ofAccount >= options.Value.MaxExportsPerAccount) return null;
            _running++;
            _perAccount[accountId] = ofAccount + 1;
        }
        return new Lease(this, accountId);
    }

    private void Finish(long accountId)
    {
        lock (_gate)
        {
            _running--;
            if (_perAccount.GetValueOrDefault(accountId) <= 1) _perAccount.TryRemove(accountId, out _);
            else _perAccount[accountId]--;
        }
    }

    private sealed class Lease(ExportLimits limits, long accountId) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) limits.Finish(accountId);
        }
    }
}

/// <summary>
/// The response body as an export writes it, cut when one write waits on the client longer than the stall timeout:
/// the write is cancelled, the export stops, and its read transaction closes.
/// </summary>
public sealed class StallGuardStream(Stream inner, TimeSpan timeout) : WriteOnlyStream
{
    private readonly CancellationTokenSource _stalled = new();

    /// <summary>Cancelled once a write stalled past the timeout.</summary>
    public CancellationToken Stalled => _stalled.Token;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        both.CancelAfter(timeout);
        try
        {
            await inner.WriteAsync(buffer, both.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await _stalled.CancelAsync();
            throw new OperationCanceledException("The client stopped reading the download.", _stalled.Token);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        both.CancelAfter(timeout);
        try
        {
            await inner.FlushAsync(both.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await _stalled.CancelAsync();
            throw new OperationCanceledException("The client stopped reading the download.", _stalled.Token);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _stalled.Dispose();
        base.Dispose(disposing);
    }
}
