using CreditPortal.Data;
using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// The reports' read side (R12) for the Reports page, the download and the API: spending per period, list and
/// channel; the consumptions behind a period or list, a page at a time; the ledger history. Every date is a
/// local date of the account's time zone and every instant is converted to it for display. Nothing here changes
/// anything, and nothing scans every consumption: spending comes from ListDailyUsage.
/// </summary>
public sealed class ReportQueries(PortalDatabase database)
{
    public const int MaxPageSize = 1_000;

    public async Task<ReportAccount?> GetAccountAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        return reader.Account(accountId);
    }

    /// <summary>The Summary and By list views; null when the account does not exist.</summary>
    public async Task<UsageReport?> GetUsageAsync(long accountId, ReportRange range, CancellationToken cancellationToken = default)
    {
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        var account = reader.Account(accountId);
        return account is null ? null : Usage(reader, account, range);
    }

    /// <summary>This period against the previous one, per list and channel; null when the account does not exist.</summary>
    public async Task<PeriodComparison?> GetComparisonAsync(long accountId, ReportRange range, CancellationToken cancellationToken = default)
    {
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        var account = reader.Account(accountId);
        if (account is null) return null;
        var (previousFrom, previousTo) = range.PreviousPeriod();
        var totals = new Dictionary<(long ListId, Channel Channel), (long Credits, long PreviousCredits, long Messages, long PreviousMessages)>();
        foreach (var day in reader.UsageDays(accountId, range.From, range.To))
        {
            var t = totals.GetValueOrDefault((day.ListId, day.Channel));
            totals[(day.ListId, day.Channel)] = t with { Credits = t.Credits + day.Credits, Messages = t.Messages + day.Messages };
        }
        foreach (var day in reader.UsageDays(accountId, previousFrom, previousTo))
        {
            var t = totals.GetValueOrDefault((day.ListId, day.Channel));
            totals[(day.ListId, day.Channel)] = t with { PreviousCredits = t.PreviousCredits + day.Credits, PreviousMessages = t.PreviousMessages + day.Messages };
        }
        var names = reader.ListNames(accountId);
        var byList = totals
            .Select(p => new ComparisonRow(p.Key.ListId, names.GetValueOrDefault(p.Key.ListId, $"#{p.Key.ListId}"), p.Key.Channel, p.Value.Credits,
                p.Value.PreviousCredits, p.Value.Messages, p.Value.PreviousMessages))
            .OrderByDescending(r => r.Credits).ThenByDescending(r => r.PreviousCredits).ThenBy(r => r.ListName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.ListId).ThenBy(r => r.Channel)
            .ToList();
        var byChannel = byList
            .GroupBy(r => r.Channel)
            .Select(g => new ComparisonRow(0, "All lists", g.Key, g.Sum(r => r.Credits), g.Sum(r => r.PreviousCredits), g.Sum(r => r.Messages),
                g.Sum(r => r.PreviousMessages)))
            .OrderBy(r => r.Channel)
            .ToList();
        return new PeriodComparison(range, previousFrom, previousTo, byList, byChannel);
    }

    /// <summary>The drill-down of <paramref name="query"/>, a page at a time: a grid keeps it while it shows that query.</summary>
    public ConsumptionPages Consumptions(long accountId, ConsumptionQuery query) => new(this, accountId, query);

    /// <summary>One page of the consumptions <paramref name="query"/> selects, and how many there are (a one-off: a grid keeps its <see cref="ConsumptionPages"/>).</summary>
    public Task<ReportPage<ConsumptionLine>> GetConsumptionsAsync(long accountId, ConsumptionQuery query, long skip, int take,
        CancellationToken cancellationToken = default)
        => Consumptions(accountId, query).GetAsync(skip, take, cancellationToken);

    internal async Task<ReportPage<ConsumptionLine>> ReadPageAsync(ConsumptionPages pages, long skip, int take, CancellationToken cancellationToken)
    {
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        var account = reader.Account(pages.AccountId) ?? throw new LedgerNotFoundException($"Account {pages.AccountId}");
        var (start, end) = Instants(account, pages.Query.From, pages.Query.To);
        if (pages.Count is null)
        {
            var (decided, queued) = reader.CountConsumptions(account.Id, pages.Query, start, end);
            pages.SetCount(decided + queued);
        }
        var walk = pages.Plan(skip, take, pages.Count!.Value);
        var items = reader.Consumptions(account.Id, pages.Query, start, end, reader.ListNames(account.Id), walk.From, walk.Backward, walk.Skip, walk.Take)
            .ToList();
        if (walk.Backward) items.Reverse();
        pages.Remember(skip, items);
        return new ReportPage<ConsumptionLine>(items, pages.Count.Value);
    }

    /// <summary>One page of the ledger history (every movement but consumptions) between two local dates.</summary>
    public async Task<ReportPage<LedgerLine>> GetLedgerAsync(long accountId, DateOnly from, DateOnly to, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        take = Math.Clamp(take, 1, MaxPageSize);
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        var account = reader.Account(accountId) ?? throw new LedgerNotFoundException($"Account {accountId}");
        var (start, end) = Instants(account, from, to);
        var items = reader.Ledger(accountId, start, end, reader.ListNames(accountId), skip, take).ToList();
        return new ReportPage<LedgerLine>(items, reader.CountLedger(accountId, start, end));
    }

    /// <summary>From 00:00 local on <paramref name="from"/> to 00:00 local the day after <paramref name="to"/> (DST-safe).</summary>
    internal static (DateTimeOffset Start, DateTimeOffset End) Instants(ReportAccount account, DateOnly from, DateOnly to)
        => (account.Calendar.StartOfDay(from), account.Calendar.StartOfDay(to.AddDays(1)));

    /// <summary>
    /// Groups the per-day rows into periods. Week and month come from the local dates the ledger stored, so a
    /// send is in the same period whatever daylight-saving did to the clock that night.
    /// </summary>
    internal static UsageReport Usage(ReportReader reader, ReportAccount account, ReportRange range)
    {
        var names = reader.ListNames(account.Id);
        var byList = new Dictionary<(DateOnly Period, long ListId, Channel Channel), Totals>();
        var summary = new Dictionary<(DateOnly Period, Channel Channel), Totals>();
        foreach (var day in reader.UsageDays(account.Id, range.From, range.To))
        {
            var period = ReportPeriod.Containing(day.Date, range.GroupBy).Start;
            Add(byList, (period, day.ListId, day.Channel), day);
            Add(summary, (period, day.Channel), day);
        }

        var (start, end) = Instants(account, range.From, range.To);
        foreach (var entry in reader.Ledger(account.Id, start, end, names))
        {
            var added = entry.Kind is LedgerEntryKind.TopUp or LedgerEntryKind.PlanCredits or LedgerEntryKind.Purchase or LedgerEntryKind.Refill
                or LedgerEntryKind.Adjustment ? entry.Quantity : 0;
            var expired = entry.Kind == LedgerEntryKind.Expiry ? -entry.Quantity : 0;
            if (added == 0 && expired == 0) continue;
            var period = ReportPeriod.Containing(account.Calendar.LocalDate(entry.At), range.GroupBy).Start;
            var key = (period, entry.Channel);
            var totals = summary.GetValueOrDefault(key);
            summary[key] = totals with { Added = totals.Added + added, Expired = totals.Expired + expired };
        }

        var rows = byList
            .Select(p => new UsageRow(ReportPeriod.Containing(p.Key.Period, range.GroupBy), p.Key.ListId,
                names.GetValueOrDefault(p.Key.ListId, $"#{p.Key.ListId}"), p.Key.Channel, p.Value.Credits, p.Value.Messages, p.Value.Accepted,
                p.Value.Rejected, p.Value.RejectedMessages))
            .OrderBy(r => r.Period.Start).ThenBy(r => r.ListName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.ListId).ThenBy(r => r.Channel)
            .ToList();
        var summaryRows = summary
            .Select(p => new SummaryRow(ReportPeriod.Containing(p.Key.Period, range.GroupBy), p.Key.Channel, p.Value.Credits, p.Value.Messages,
                p.Value.Accepted, p.Value.Rejected, p.Value.RejectedMessages, p.Value.Added, p.Value.Expired))
            .OrderBy(r => r.Period.Start).ThenBy(r => r.Channel)
            .ToList();
        return new UsageReport(account, range, rows, summaryRows, reader.HeldNow(account.Id));
    }

    private static void Add<TKey>(Dictionary<TKey, Totals> totals, TKey key, UsageDay day) where TKey : notnull
    {
        var t = totals.GetValueOrDefault(key);
        totals[key] = new Totals(t.Credits + day.Credits, t.Messages + day.Messages, t.Accepted + day.Accepted, t.Rejected + day.Rejected,
            t.RejectedMessages + day.RejectedMessages, t.Added, t.Expired);
    }

    private readonly record struct Totals(long Credits, long Messages, long Accepted, long Rejected, long RejectedMessages, long Added, long Expired);
}
