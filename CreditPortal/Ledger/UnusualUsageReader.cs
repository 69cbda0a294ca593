using CreditPortal.Data;
using CreditPortal.Ledger.Rules;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Ledger;

/// <summary>An API key named by an unusual-usage alert: what it sent in the hour and whether it can still be revoked.</summary>
public sealed record UsageKey(long KeyId, string Name, string Prefix, long Credits, bool Revoked);

/// <summary>Who took an hour's credits of one wallet: the largest lists and API keys (at most
/// <see cref="UnusualUsage.NamesShown"/> each) and what the portal and support sent.</summary>
public sealed record HourSenders(IReadOnlyList<(string Name, long Credits)> Lists, IReadOnlyList<UsageKey> Keys, long OtherSenders);

/// <summary>
/// Issue #17: the hourly figures of the unusual-usage check, read from what the ledger already stores: the accepted
/// consumptions by the instant they were decided (when their credits left the wallet), through the reports' index
/// <c>Consumptions (AccountId, DecidedAt, ListId, Channel, Status)</c>. Nothing is added to the send's path: no counter,
/// no column, no index. A send counts its credits (an SMS to the US 2; on Pro what the send is worth, though nothing is
/// drawn); the API key is the one the consumption records as its actor.
/// </summary>
public sealed class UnusualUsageReader(IDbContextFactory<CreditPortalDbContext> dbFactory)
{
    /// <summary>The accounts with an accepted send decided in [<paramref name="from"/>, <paramref name="to"/>): one seek of
    /// the index per account, never a scan of the consumptions.</summary>
    public async Task<List<long>> AccountsWithSendsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Accounts
            .Where(a => db.Consumptions.Any(c => c.AccountId == a.Id && c.DecidedAt >= from && c.DecidedAt < to && c.Status == ConsumptionStatus.Accepted))
            .OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
    }

    /// <summary>The account's credits per channel in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<Dictionary<Channel, long>> CreditsByChannelAsync(long accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Sends(db, accountId, from, to).GroupBy(c => c.Channel)
            .Select(g => new { g.Key, Credits = g.Sum(c => c.Credits) })
            .ToDictionaryAsync(g => g.Key, g => g.Credits, ct);
    }

    /// <summary>The wallet's credits in each hour starting at <paramref name="starts"/>.</summary>
    public async Task<List<long>> HourlyCreditsAsync(long accountId, Channel channel, IEnumerable<DateTimeOffset> starts, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hours = new List<long>();
        foreach (var start in starts)
            hours.Add(await Sends(db, accountId, start, start + UnusualUsage.Hour).Where(c => c.Channel == channel).SumAsync(c => c.Credits, ct));
        return hours;
    }

    /// <summary>The largest lists and API keys of the wallet's hour starting at <paramref name="hourStart"/> (the alert's
    /// names, and the Alerts page's "Revoke key…" buttons: the same rows, so the same keys).</summary>
    public async Task<HourSenders> SendersAsync(long accountId, Channel channel, DateTimeOffset hourStart, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sends = Sends(db, accountId, hourStart, hourStart + UnusualUsage.Hour).Where(c => c.Channel == channel);
        var byList = await sends.GroupBy(c => c.ListId).Select(g => new { ListId = g.Key, Credits = g.Sum(c => c.Credits) }).ToListAsync(ct);
        var byActor = await sends.GroupBy(c => c.Actor).Select(g => new { Actor = g.Key, Credits = g.Sum(c => c.Credits) }).ToListAsync(ct);

        var topLists = byList.OrderByDescending(l => l.Credits).ThenBy(l => l.ListId).Take(UnusualUsage.NamesShown).ToList();
        var listIds = topLists.Select(l => l.ListId).ToList();
        var listNames = await db.Lists.AsNoTracking().Where(l => listIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Name, ct);

        var keyCredits = new Dictionary<long, long>();
        long other = 0;
        foreach (var sender in byActor)
        {
            if (UnusualUsage.ApiKeyId(sender.Actor) is { } id) keyCredits[id] = keyCredits.GetValueOrDefault(id) + sender.Credits;
            else other += sender.Credits;
        }
        var topKeys = keyCredits.OrderByDescending(k => k.Value).ThenBy(k => k.Key).Take(UnusualUsage.NamesShown).ToList();
        var keyIds = topKeys.Select(k => k.Key).ToList();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id) && k.AccountId == accountId)
            .ToDictionaryAsync(k => k.Id, k => new { k.Name, k.Prefix, k.RevokedAt }, ct);
        return new HourSenders(
            topLists.Select(l => (listNames.GetValueOrDefault(l.ListId, $"list {l.ListId}"), l.Credits)).ToList(),
            topKeys.Where(k => keys.ContainsKey(k.Key))
                .Select(k => new UsageKey(k.Key, keys[k.Key].Name, keys[k.Key].Prefix, k.Value, keys[k.Key].RevokedAt is not null)).ToList(),
            other + topKeys.Where(k => !keys.ContainsKey(k.Key)).Sum(k => k.Value));
    }

    private static IQueryable<Consumption> Sends(CreditPortalDbContext db, long accountId, DateTimeOffset from, DateTimeOffset to)
        => db.Consumptions.AsNoTracking()
            .Where(c => c.AccountId == accountId && c.DecidedAt >= from && c.DecidedAt < to && c.Status == ConsumptionStatus.Accepted);
}
