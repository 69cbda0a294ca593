using CreditPortal.Data;
using CreditPortal.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Support;

/// <summary>One line of the support dashboard's "set aside" list (<see cref="SetAsideAccounts"/>).</summary>
/// <param name="AccountId">Null when the kind of work as a whole waits (e.g. the payment provider is down).</param>
/// <param name="AccountName">The account's name, null for a whole kind or an account that no longer exists.</param>
/// <param name="Failures">Failures in a row; the wait doubles with each.</param>
/// <param name="Since">The first failure of this run of failures.</param>
/// <param name="RetryAt">When it is tried again by itself.</param>
/// <param name="Error">The last failure's exception type and message (support's clue, never shown to owners).</param>
public sealed record SetAsideItem(string Kind, long? AccountId, string? AccountName, int Failures, DateTimeOffset Since, DateTimeOffset RetryAt,
    string Error);

/// <summary>
/// What the support dashboard shows about scheduled work that is set aside after failing (<see cref="SetAsideWork"/>):
/// which account and which kind of work, since when, how many failures, the last error, and when it is tried
/// again; and a way to try again now once the cause is fixed.
/// </summary>
public sealed class SetAsideAccounts(SetAsideWork work, Scheduler scheduler, IDbContextFactory<CreditPortalDbContext> dbFactory)
{
    /// <summary>Everything set aside now, longest waiting first.</summary>
    public async Task<IReadOnlyList<SetAsideItem>> ListAsync(CancellationToken ct = default)
    {
        var current = work.Current;
        if (current.Count == 0) return [];
        var ids = current.Where(c => c.AccountId is not null).Select(c => c.AccountId!.Value).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return current
            .Select(c => new SetAsideItem(c.Kind, c.AccountId, c.AccountId is { } id ? names.GetValueOrDefault(id) : null, c.Failures, c.Since, c.RetryAt,
                c.Error))
            .ToList();
    }

    /// <summary>Makes the item due now (support fixed the cause) and wakes the scheduler; a new failure sets it aside again.</summary>
    public void RetryNow(string kind, long? accountId)
    {
        if (work.RetryNow(kind, accountId)) scheduler.Kick();
    }
}
