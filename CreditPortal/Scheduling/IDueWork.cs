namespace CreditPortal.Scheduling;

/// <summary>
/// A kind of scheduled work (top-ups, expiries, plan cycles, auto-renew retries, ...). Each due event is
/// identified by a key that the work records in <see cref="ScheduledEventRecord"/> in the same transaction
/// as its effect, so a restart or a second run never repeats it.
/// </summary>
public interface IDueWork
{
    /// <summary>The name this kind of work is logged, set aside (<see cref="SetAsideWork"/>) and shown under.</summary>
    string Kind => GetType().Name;

    /// <summary>
    /// Runs every event due at or before <paramref name="upTo"/>, oldest first; returns how many ran. Each account's
    /// share goes through <see cref="SetAsideWork.RunAsync{T}"/>, so one failing account is set aside, not the rest.
    /// </summary>
    Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken);

    /// <summary>
    /// The next instant at which an event of this work becomes due, or null when none is planned. Accounts set aside
    /// are left out; their retry instant counts as due (<see cref="SetAsideWork.NextRetry"/>).
    /// </summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);
}
