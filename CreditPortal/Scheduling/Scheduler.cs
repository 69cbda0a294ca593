using CreditPortal.Clock;

namespace CreditPortal.Scheduling;

/// <summary>
/// Runs every registered <see cref="IDueWork"/> on the injected clock. On start it catches up on whatever
/// became due while the process was down; afterwards it sleeps until the next due instant, or until the
/// manual clock moves, or until someone calls <see cref="Kick"/> because new work became due sooner.
/// A kind of work that fails as a whole is set aside (<see cref="SetAsideWork"/>) and the others go on.
/// </summary>
public sealed class Scheduler : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinSleep = TimeSpan.FromSeconds(1);

    private readonly IEnumerable<IDueWork> _works;
    private readonly TimeProvider _clock;
    private readonly ILogger<Scheduler> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DueSignal _signal;
    private readonly SetAsideWork _setAside;

    public Scheduler(IEnumerable<IDueWork> works, TimeProvider clock, ILogger<Scheduler> logger, ManualTimeProvider? manual = null,
        DueSignal? signal = null, SetAsideWork? setAside = null)
    {
        _works = works;
        _clock = clock;
        _logger = logger;
        _signal = signal ?? new DueSignal();
        _setAside = setAside ?? new SetAsideWork(clock, Microsoft.Extensions.Options.Options.Create(new SchedulingOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SetAsideWork>.Instance);
        if (manual is not null) manual.Moved += _ => Kick();
    }

    /// <summary>When the loop last finished a round (real time, for the health check): a loop stuck in one round
    /// stops moving it.</summary>
    public DateTimeOffset? LastRoundAt { get; private set; }

    /// <summary>Wakes the scheduler so it re-reads what is due.</summary>
    public void Kick() => _signal.Set();

    /// <summary>
    /// Runs everything due up to the clock's now, in time order across all works: the work with the
    /// earliest due event runs only up to the instant the next other work becomes due, so a retry planned
    /// for 01:00 runs before a month start at 00:00 the next day even after a long downtime. Repeats until
    /// nothing is due; concurrent callers are serialised. Returns how many events ran. A work that throws is
    /// set aside until its retry and the round goes on without it.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            var idle = new HashSet<IDueWork>();
            while (true)
            {
                var now = _clock.GetUtcNow();
                var due = new List<(IDueWork Work, DateTimeOffset At, int Order)>();
                var order = 0;
                foreach (var work in _works)
                {
                    order++;
                    if (idle.Contains(work) || _setAside.IsWaiting(work.Kind)) continue;
                    if (await AskAsync(work, cancellationToken) is { } at && at <= now) due.Add((work, at, order));
                }
                if (due.Count == 0) return total;

                var first = due.OrderBy(d => d.At).ThenBy(d => d.Order).First();
                var upTo = due.Where(d => d.Work != first.Work).Select(d => d.At).DefaultIfEmpty(now).Min();
                var ran = await RunAsync(first.Work, upTo, cancellationToken);
                total += ran;
                // A work that claims something is due but runs nothing (or failed) is left alone for this round
                // rather than looping forever; the next round asks it again.
                if (ran == 0) idle.Add(first.Work);
                else idle.Clear();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The next instant anything is due: a work set aside as a whole counts at its retry instant.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        foreach (var work in _works)
        {
            var due = _setAside.IsWaiting(work.Kind) ? _setAside.RetryOf(work.Kind) : await AskAsync(work, cancellationToken);
            if (due is { } d && (next is null || d < next)) next = d;
        }
        return next;
    }

    // A work that fails as a whole (its "what is due" query, or a failure it did not isolate per account) is set
    // aside; the round goes on with the others.

    private async Task<DateTimeOffset?> AskAsync(IDueWork work, CancellationToken cancellationToken)
    {
        try { return await work.NextDueAsync(cancellationToken); }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            _setAside.Failed(work.Kind, null, error);
            return null;
        }
    }

    private async Task<int> RunAsync(IDueWork work, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        try
        {
            var ran = await work.RunDueAsync(upTo, cancellationToken);
            _setAside.Succeeded(work.Kind);
            return ran;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            _setAside.Failed(work.Kind, null, error);
            return 0;
        }
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
                LastRoundAt = TimeProvider.System.GetUtcNow();
                var wait = MaxSleep;
                if (next is { } due)
                {
                    var until = due - _clock.GetUtcNow();
                    // Something still claims to be due right after a full run: do not spin on it.
                    if (until < wait) wait = until <= TimeSpan.Zero ? MinSleep : until;
                }
                // Sleep in real time: with the system clock that is the clock; with the manual clock the
                // wait ends early because moving the clock kicks the signal.
                if (wait > TimeSpan.Zero)
                    await _signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Works are isolated above; this is the scheduler's own failure. Keep the loop alive.
                _logger.LogError(ex, "Scheduler round failed; retrying shortly");
                try { await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
