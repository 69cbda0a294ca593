namespace CreditPortal.Clock;

/// <summary>
/// A clock that stands still until it is moved. Used with <c>Clock:Mode=Manual</c> for demos and
/// end-to-end tests, and directly by unit tests. It only moves forward: scheduled work that already
/// ran must never become "not yet due" again.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _utcTicks;

    public ManualTimeProvider(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <summary>Raised after the clock moved, so the scheduler can run what became due.</summary>
    public event Action<DateTimeOffset>? Moved;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock to <paramref name="to"/>; refuses to go back.</summary>
    public void MoveTo(DateTimeOffset to)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _utcTicks);
            if (to.UtcTicks < current)
                throw new ClockMovedBackwardsException(new DateTimeOffset(current, TimeSpan.Zero), to);
            if (Interlocked.CompareExchange(ref _utcTicks, to.UtcTicks, current) == current)
                break;
        }
        Moved?.Invoke(to);
    }

    public void Advance(TimeSpan by) => MoveTo(GetUtcNow() + by);
}

public sealed class ClockMovedBackwardsException(DateTimeOffset now, DateTimeOffset requested)
    : InvalidOperationException($"The clock only moves forward: it is {now:O}, {requested:O} is earlier.")
{
    public DateTimeOffset Now { get; } = now;
    public DateTimeOffset Requested { get; } = requested;
}
