using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace CreditPortal.Scheduling;

/// <summary>
/// Isolation of scheduled work: what failed is set aside with exponential backoff (first
/// <see cref="SchedulingOptions.RetryFirst"/>, doubling, at most <see cref="SchedulingOptions.RetryMax"/>) so that
/// one account whose events throw, or one kind of work whose dependency is down, never stops the rest.
/// <list type="bullet">
/// <item>Per account: a work runs each account's share through <see cref="RunAsync{T}"/>; a failure of that
/// account's own (not a <see cref="TransientFault"/>) sets the account aside for that kind of work only.</item>
/// <item>Per kind: the <see cref="Scheduler"/> sets a whole kind aside when it fails outside an account's share
/// (the database locked or full, the payment provider down).</item>
/// </list>
/// Backoff runs on the injected clock (with <c>Clock:Mode=Manual</c>, moving the clock is what makes a retry due).
/// State is in memory: after a restart everything is tried once more, which is what a restart is for. Every
/// change is logged; <see cref="Current"/> feeds the support dashboard, health and metrics.
/// </summary>
public sealed class SetAsideWork(TimeProvider clock, IOptions<SchedulingOptions> options, ILogger<SetAsideWork> logger)
{
    private readonly ConcurrentDictionary<(string Kind, long? AccountId), SetAside> _entries = new();

    /// <summary>Everything set aside now, oldest first.</summary>
    public IReadOnlyList<SetAside> Current => _entries.Values.OrderBy(e => e.Since).ThenBy(e => e.Kind).ThenBy(e => e.AccountId).ToList();

    public int Count => _entries.Count;

    /// <summary>
    /// Runs <paramref name="work"/> for one account. Success clears a set-aside; a failure of the account's own sets it
    /// aside and answers null; a <see cref="TransientFault"/> is rethrown so the kind as a whole waits.
    /// </summary>
    public async Task<T?> RunAsync<T>(string kind, long accountId, Func<Task<T>> work) where T : struct
    {
        try
        {
            var result = await work();
            Succeeded(kind, accountId);
            return result;
        }
        catch (Exception error) when (!TransientFault.Is(error))
        {
            Failed(kind, accountId, error);
            return null;
        }
    }

    /// <summary>True while <paramref name="kind"/> (or that account's share of it) waits for its retry.</summary>
    public bool IsWaiting(string kind, long? accountId = null)
        => _entries.TryGetValue((kind, accountId), out var entry) && entry.RetryAt > clock.GetUtcNow();

    /// <summary>The accounts whose share of <paramref name="kind"/> waits for its retry: leave them out of "what is due".</summary>
    public IReadOnlyList<long> WaitingAccounts(string kind)
    {
        if (_entries.IsEmpty) return [];
        var now = clock.GetUtcNow();
        return _entries.Values.Where(e => e.Kind == kind && e.AccountId is not null && e.RetryAt > now).Select(e => e.AccountId!.Value).ToList();
    }

    /// <summary><see cref="WaitingAccounts"/> as a JSON array, the <c>@waiting</c> parameter of "what is due" queries
    /// (<c>NOT IN (SELECT value FROM json_each(@waiting))</c>): one prepared statement whatever the list.</summary>
    public string WaitingJson(string kind)
    {
        var ids = WaitingAccounts(kind);
        return ids.Count == 0 ? "[]" : "[" + string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
    }

    /// <summary>The earlier of two instants (either may be missing).</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The earliest retry of a waiting account of <paramref name="kind"/>: it is due again then.</summary>
    public DateTimeOffset? NextRetry(string kind)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var e in _entries.Values)
            if (e.Kind == kind && e.AccountId is not null && e.RetryAt > now && (next is null || e.RetryAt < next)) next = e.RetryAt;
        return next;
    }

    /// <summary>When <paramref name="kind"/> as a whole may run again (null: it is not set aside).</summary>
    public DateTimeOffset? RetryOf(string kind) => _entries.TryGetValue((kind, null), out var e) ? e.RetryAt : null;

    public void Failed(string kind, long? accountId, Exception error)
    {
        var now = clock.GetUtcNow();
        var entry = _entries.AddOrUpdate((kind, accountId),
            _ => new SetAside(kind, accountId, 1, now, now + Delay(1), Describe(error)),
            (_, e) => e with { Failures = e.Failures + 1, RetryAt = now + Delay(e.Failures + 1), Error = Describe(error) });
        if (accountId is { } account)
            logger.LogError(error, "Scheduled {Kind} for account {AccountId} failed ({Failures} in a row); the account is set aside until {RetryAt}",
                kind, account, entry.Failures, entry.RetryAt);
        else
            logger.LogError(error, "Scheduled {Kind} failed ({Failures} in a row); it is set aside until {RetryAt}, other work goes on",
                kind, entry.Failures, entry.RetryAt);
    }

    public void Succeeded(string kind, long? accountId = null)
    {
        if (_entries.IsEmpty || !_entries.TryRemove((kind, accountId), out var entry)) return;
        if (accountId is { } account)
            logger.LogInformation("Scheduled {Kind} for account {AccountId} works again after {Failures} failure(s)", kind, account, entry.Failures);
        else
            logger.LogInformation("Scheduled {Kind} works again after {Failures} failure(s)", kind, entry.Failures);
    }

    /// <summary>Makes a set-aside item due now, keeping its failure count (so a new failure waits longer); false when
    /// nothing of that kind and account is set aside.</summary>
    public bool RetryNow(string kind, long? accountId)
    {
        if (!_entries.TryGetValue((kind, accountId), out var entry)) return false;
        _entries.TryUpdate((kind, accountId), entry with { RetryAt = clock.GetUtcNow() }, entry);
        logger.LogInformation("Scheduled {Kind} for account {AccountId} is tried again now, on request", kind, accountId);
        return true;
    }

    private TimeSpan Delay(int failures) => Backoff.After(failures, options.Value.RetryFirst, options.Value.RetryMax);

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message}";
}
