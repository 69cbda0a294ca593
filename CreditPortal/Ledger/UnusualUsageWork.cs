using System.Globalization;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Ledger;

/// <summary>One wallet's hour as the unusual-usage check saw it.</summary>
/// <param name="Median">The median of the same hour of the week over <paramref name="Weeks"/> earlier weeks.</param>
public sealed record UsageHour(long AccountId, Channel Channel, DateTimeOffset Start, long Credits, decimal Median, int Weeks, bool Fires);

/// <summary>
/// Issue #17, the unusual-usage alert (docs/domain.md §6): after every full hour (UTC), one pass over the accounts that
/// had sends in it. A wallet whose hour reached its floor is compared with the median of the same local hour of the
/// week over the last <see cref="UnusualUsageOptions.Weeks"/> weeks; at <see cref="UnusualUsageOptions.Factor"/> times
/// it or more, an <c>UnusualUsage</c> alert names the lists and API keys that sent it (<see cref="RaiseUnusualUsage"/>).
/// <para>
/// The hours checked are recorded (<c>usage-checked:{hour}</c>, one row per pass), so after a downtime the next start
/// checks every hour it missed, in order, dated as each hour ended, and a restart checks none twice; an alert is
/// recorded under its wallet and hour, so two instances, or a pass run again, raise it once. A first start with nothing
/// recorded checks from the hour that just ended (nothing older is replayed).
/// </para>
/// <para>
/// All reading is done here, outside the ledger writer, on a connection of its own (<see cref="UnusualUsageReader"/>);
/// the writer only records an alert that fires, and the progress.
/// </para>
/// </summary>
public sealed class UnusualUsageWork(UnusualUsageReader reader, LedgerWriter writer, IDbContextFactory<CreditPortalDbContext> dbFactory,
    UnusualUsageOptions options, TimeProvider clock, SetAsideWork setAside) : IDueWork
{
    private const string ProgressPrefix = "usage-checked:";

    /// <summary>The end of the next hour to check (null: not read from the database yet).</summary>
    private DateTimeOffset? _nextEnd;

    public string Kind => "unusual usage";

    public UnusualUsageOptions Options => options;

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => options.Enabled ? _nextEnd ??= await FirstHourEndAsync(cancellationToken) : null;

    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        if (!options.Enabled) return 0;
        var end = _nextEnd ??= await FirstHourEndAsync(cancellationToken);
        var raised = 0;
        DateTimeOffset? lastChecked = null;
        while (end <= upTo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            raised += await CheckHourAsync(end - UnusualUsage.Hour, cancellationToken);
            lastChecked = end - UnusualUsage.Hour;
            end += UnusualUsage.Hour;
            _nextEnd = end;
        }
        if (lastChecked is { } hour)
            await writer.RunAsync(s => s.Due.RecordOnce(ProgressKey(hour), hour + UnusualUsage.Hour));
        return raised;
    }

    /// <summary>Checks the hour starting at <paramref name="hourStart"/> for every account; returns the alerts raised.</summary>
    public async Task<int> CheckHourAsync(DateTimeOffset hourStart, CancellationToken cancellationToken = default)
    {
        var raised = 0;
        foreach (var hour in await EvaluateAsync(hourStart, belowFloor: false, cancellationToken))
        {
            if (!hour.Fires) continue;
            var account = await AccountAsync(hour.AccountId, cancellationToken);
            var senders = await reader.SendersAsync(hour.AccountId, hour.Channel, hourStart, cancellationToken);
            var detail = UnusualUsage.Text(hour.Channel, hour.Credits, hourStart, hour.Median, hour.Weeks, senders.Lists,
                senders.Keys.Select(k => (k.Name, k.Credits)).ToList(), senders.OtherSenders, account.Calendar.Zone);
            // Each account's alert is a writer command of its own: one that fails is set aside, the others go on.
            if (await setAside.RunAsync(Kind, hour.AccountId, () => writer.RunAsync(s =>
                    RaiseUnusualUsage.Execute(s, hour.AccountId, hour.Channel, hourStart, options.Cooldown, detail))) == true)
                raised++;
        }
        return raised;
    }

    /// <summary>
    /// Every wallet with sends in the hour starting at <paramref name="hourStart"/>, against its usual rate. Only wallets
    /// at or above their floor are compared (the others cannot alert), unless <paramref name="belowFloor"/> asks for all
    /// of them (the tuning replay, docs/domain.md §6).
    /// </summary>
    public async Task<List<UsageHour>> EvaluateAsync(DateTimeOffset hourStart, bool belowFloor, CancellationToken cancellationToken = default)
    {
        var hourEnd = hourStart + UnusualUsage.Hour;
        var hours = new List<UsageHour>();
        foreach (var accountId in await reader.AccountsWithSendsAsync(hourStart, hourEnd, cancellationToken))
        {
            if (setAside.IsWaiting(Kind, accountId)) continue;
            (AccountCalendar Calendar, DateTimeOffset CreatedAt)? account = null;
            foreach (var (channel, credits) in (await reader.CreditsByChannelAsync(accountId, hourStart, hourEnd, cancellationToken)).OrderBy(c => c.Key))
            {
                var floor = options.FloorOf(channel);
                if (credits < floor && !belowFloor) continue;
                account ??= await AccountAsync(accountId, cancellationToken);
                var weeks = UnusualUsage.SameHourOfWeek(hourStart, account.Value.Calendar, options.Weeks, account.Value.CreatedAt);
                var median = UnusualUsage.Median(await reader.HourlyCreditsAsync(accountId, channel, weeks, cancellationToken));
                hours.Add(new UsageHour(accountId, channel, hourStart, credits, median, weeks.Count,
                    UnusualUsage.Fires(credits, median, weeks.Count, options.Factor, floor)));
            }
        }
        return hours;
    }

    private readonly Dictionary<long, (AccountCalendar, DateTimeOffset)> _accounts = [];

    private async Task<(AccountCalendar Calendar, DateTimeOffset CreatedAt)> AccountAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => new { a.TimeZoneId, a.CreatedAt })
            .SingleAsync(cancellationToken);
        // The zone can change (Settings); the calendar is made again only then.
        if (!_accounts.TryGetValue(accountId, out var known) || known.Item1.Zone.Id != row.TimeZoneId)
            _accounts[accountId] = known = (new AccountCalendar(row.TimeZoneId), row.CreatedAt);
        return known;
    }

    /// <summary>The end of the hour after the last one recorded as checked; without any, the hour that just ended.</summary>
    private async Task<DateTimeOffset> FirstHourEndAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A range on the key (its primary index), not LIKE: the keys' hours sort as text. Bounds of digits, which sort the
        // same under any collation (a PostgreSQL locale may ignore punctuation).
        var last = await db.ScheduledEvents.AsNoTracking()
            .Where(e => string.Compare(e.Key, ProgressPrefix + "0000") > 0 && string.Compare(e.Key, ProgressPrefix + "9999") < 0)
            .OrderByDescending(e => e.Key).Select(e => e.Key).FirstOrDefaultAsync(cancellationToken);
        if (last is not null
            && DateTimeOffset.TryParseExact(last[ProgressPrefix.Length..], "yyyy-MM-dd'T'HH':'mm'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var checkedHour))
            return checkedHour.ToUniversalTime() + 2 * UnusualUsage.Hour;
        return UnusualUsage.HourStart(clock.GetUtcNow());
    }

    private static string ProgressKey(DateTimeOffset hourStart)
        => ProgressPrefix + hourStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm'Z'", CultureInfo.InvariantCulture);
}
