namespace CreditPortal.Scheduling;

/// <summary>Wakes one background loop: many Set() calls while it works collapse into one wake-up.</summary>
public class AsyncSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try { _semaphore.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    /// <summary>Waits for a Set() or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}

/// <summary>Set when something became due sooner than the scheduler planned (e.g. an auto-renew attempt).</summary>
public sealed class DueSignal : AsyncSignal;
