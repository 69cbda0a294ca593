using CreditPortal.Clock;

namespace CreditPortal.Scheduling;

/// <summary>
/// Runs every registered <see cref="IDueWork"/> on the injected clock. On start it catches up on whatever
/// became due while the process was down; afterwards it sleeps until the next due instant, or until the
/// manual clock moves, or until someone calls <see cref="Kick"/> because new work became due sooner.
/// </summary>
public sealed class Scheduler : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly IEnumerable<IDueWork> _works;
    private readonly TimeProvider _clock;
    private readonly ILogger<Scheduler> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _kick = new(0, int.MaxValue);

    public Scheduler(IEnumerable<IDueWork> works, TimeProvider clock, ILogger<Scheduler> logger, ManualTimeProvider? manual = null)
    {
        _works = works;
        _clock = clock;
        _logger = logger;
        if (manual is not null) manual.Moved += _ => Kick();
    }

    /// <summary>Wakes the scheduler so it re-reads what is due.</summary>
    public void Kick() => _kick.Release();

    /// <summary>
    /// Runs everything due up to the clock's now, repeating until nothing more is due (one event can make
    /// another due, e.g. a top-up after an expiry). Concurrent callers are serialised; returns the count.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            while (true)
            {
                var now = _clock.GetUtcNow();
                var ran = 0;
                foreach (var work in _works)
                    ran += await work.RunDueAsync(now, cancellationToken);
                total += ran;
                if (ran == 0) return total;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        foreach (var work in _works)
        {
            var due = await work.NextDueAsync(cancellationToken);
            if (due is { } d && (next is null || d < next)) next = d;
        }
        return next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ran = await RunDueAsync(stoppingToken);
                if (ran > 0) _logger.LogInformation("Scheduler ran {Count} due event(s)", ran);
                var next = await NextDueAsync(stoppingToken);
                var wait = MaxSleep;
                if (next is { } due)
                {
                    var until = due - _clock.GetUtcNow();
                    if (until < wait) wait = until < TimeSpan.Zero ? TimeSpan.Zero : until;
                }
                if (wait > TimeSpan.Zero)
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var delay = Task.Delay(wait, _clock, cts.Token);
                    var kicked = _kick.WaitAsync(cts.Token);
                    await Task.WhenAny(delay, kicked);
                    cts.Cancel();
                    try { await Task.WhenAll(delay, kicked); } catch (OperationCanceledException) { }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failing event must not stop the other work; it is retried on the next round.
                _logger.LogError(ex, "Scheduled work failed; retrying shortly");
                try { await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
