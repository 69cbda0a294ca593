using System.Security.Claims;

namespace CreditPortal.Reports;

public enum ExportJobState
{
    /// <summary>Prepared by the page; the browser has not asked for the file yet.</summary>
    Ready,
    Running,
    Completed,
    Cancelled,
    Failed,
}

/// <summary>
/// One download of a report, watched by the Reports page while the browser fetches the file. The page prepares
/// it and puts its <see cref="Token"/> in the download link; the download endpoint claims it, reports progress
/// into it and stops when it is cancelled. Thread-safe: the endpoint writes from the request, the page reads
/// from its circuit.
/// </summary>
public sealed class ExportJob : IProgress<ExportProgress>
{
    /// <summary>Progress notifications at most this often: a circuit re-renders on each, and a fast export
    /// reports every thousand rows.</summary>
    internal static readonly TimeSpan NotifyEvery = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly Lock _gate = new();
    private ExportProgress _progress;
    private long _lastNotified = long.MinValue / 2; // far in the past, without overflowing "now - last"
    private int _state = (int)ExportJobState.Ready;

    internal ExportJob(string token, long accountId, string user, ReportRange range, DateTimeOffset createdAt)
    {
        Token = token;
        AccountId = accountId;
        User = user;
        Range = range;
        CreatedAt = createdAt;
    }

    /// <summary>Unguessable; only the user who prepared the job can claim it, and only for its account.</summary>
    public string Token { get; }
    public long AccountId { get; }
    public ReportRange Range { get; }
    public DateTimeOffset CreatedAt { get; }
    internal string User { get; }

    public ExportJobState State => (ExportJobState)Volatile.Read(ref _state);
    public ExportProgress Progress { get { lock (_gate) return _progress; } }
    public string? Error { get; private set; }
    public bool IsFinished => State is ExportJobState.Completed or ExportJobState.Cancelled or ExportJobState.Failed;

    /// <summary>Raised on every change of state and, at most every <see cref="NotifyEvery"/>, of progress; on the
    /// endpoint's thread, so a component handles it with InvokeAsync.</summary>
    public event Action<ExportJob>? Changed;

    internal CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Stops the export: the endpoint's work ends within a thousand rows and the download fails in the browser
    /// instead of leaving a file that looks whole. A job not started yet will not start.</summary>
    public void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, (int)ExportJobState.Cancelled, (int)ExportJobState.Ready) == (int)ExportJobState.Ready)
        {
            Notify();
            return;
        }
        if (State == ExportJobState.Running) _cancellation.Cancel();
    }

    public static string UserOf(ClaimsPrincipal user)
        => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "";

    /// <summary>Ready → Running, once.</summary>
    internal bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, (int)ExportJobState.Running, (int)ExportJobState.Ready) != (int)ExportJobState.Ready) return false;
        Notify();
        return true;
    }

    public void Report(ExportProgress value)
    {
        bool newSheet;
        lock (_gate)
        {
            newSheet = _progress.Sheet != value.Sheet;
            _progress = value;
        }
        var now = Environment.TickCount64;
        // A new sheet is always told (the page names the sheet being written), however fast the export runs.
        if (newSheet)
        {
            Interlocked.Exchange(ref _lastNotified, now);
            Notify();
            return;
        }
        var last = Interlocked.Read(ref _lastNotified);
        if (now - last < NotifyEvery.TotalMilliseconds) return;
        if (Interlocked.CompareExchange(ref _lastNotified, now, last) == last) Notify();
    }

    internal void Finish(ExportJobState state, string? error = null)
    {
        Error = error;
        Volatile.Write(ref _state, (int)state);
        Notify();
    }

    private void Notify() => Changed?.Invoke(this);
}
