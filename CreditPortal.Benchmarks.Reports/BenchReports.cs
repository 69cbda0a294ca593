using System.Diagnostics;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Reports;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Benchmarks.Reports;

/// <summary>
/// Server time of the report queries the page and the API run, on the seeded account: the month-by-list report
/// over the whole two years (the target: 300 ms), the other groupings, and the drill-down's pages. The first
/// run of each is reported apart (it pays for JIT and a cold page cache); the rest as a median and maximum.
/// </summary>
public static class BenchReports
{
    public static async Task RunAsync(BenchOptions o)
    {
        var queries = new ReportQueries(new PortalDatabase(o.ConnectionString));
        var accountId = await AccountIdAsync(o);
        var range = new ReportRange(BenchSeed.LastDay.AddDays(1 - o.Days), BenchSeed.LastDay, ReportGrouping.Month);

        var rows = 0;
        await TimeAsync("report_month_by_list", o.Runs, async () => rows = (await queries.GetUsageAsync(accountId, range))!.ByList.Count);
        Figures.Print("report_month_by_list_rows", rows, "rows");
        await TimeAsync("report_week_by_list", o.Runs, async () => await queries.GetUsageAsync(accountId, range.WithGrouping(ReportGrouping.Week)));
        await TimeAsync("report_day_by_list", o.Runs, async () => await queries.GetUsageAsync(accountId, range.WithGrouping(ReportGrouping.Day)));

        var lastMonth = new DateOnly(BenchSeed.LastDay.Year, BenchSeed.LastDay.Month, 1);
        var list = (await queries.GetUsageAsync(accountId, range))!.ByList.First().ListId;
        await TimeAsync("drill_month_list_first_page", o.Runs,
            async () => await queries.GetConsumptionsAsync(accountId, new ConsumptionQuery(lastMonth, BenchSeed.LastDay, list, Channel.Email), 0, 25));

        // The unfiltered two-year drill-down, as the grid pages through it (ConsumptionPages: keyset pagination).
        var all = new ConsumptionQuery(range.From, range.To);
        long count = 0;
        await TimeAsync("drill_all_count_and_first_page", o.Runs,
            async () => count = (await queries.Consumptions(accountId, all).GetAsync(0, 25)).Count);
        Figures.Print("drill_all_count", count, "rows");
        var pages = queries.Consumptions(accountId, all);
        await pages.GetAsync(0, 25);
        await TimeAsync("drill_all_next_page", o.Runs, async () => await pages.GetAsync(25, 25));
        // Row 900,000: reached page by page in the portal; here the page before it is read once (not timed) so the
        // pager knows where it ends, then the page itself is read again and again, as "next" would.
        await pages.GetAsync(900_000 - 25, 25);
        await TimeAsync("drill_all_page_at_900000", o.Runs, async () => await pages.GetAsync(900_000, 25));
        await TimeAsync("drill_all_previous_page_at_900000", o.Runs, async () => await pages.GetAsync(900_000 - 25, 25));
        await TimeAsync("drill_all_last_page", o.Runs, async () => await pages.GetAsync(count - 1 - (count - 1) % 25, 25));
        // A jump to row 900,000 by a pager that has seen nothing near it walks from the nearer end (here 100,000 rows).
        await TimeAsync("drill_all_cold_jump_to_900000", o.Runs, async () =>
        {
            var fresh = queries.Consumptions(accountId, all);
            fresh.SetCount(count);
            await fresh.GetAsync(900_000, 25);
        });
        await TimeAsync("drill_all_list_count_and_page", o.Runs,
            async () => await queries.GetConsumptionsAsync(accountId, new ConsumptionQuery(range.From, range.To, list), 0, 25));
        // The same list's pages after the count: the index entries of the other lists are skipped on the way.
        var listPages = queries.Consumptions(accountId, new ConsumptionQuery(range.From, range.To, list));
        var listCount = (await listPages.GetAsync(0, 25)).Count;
        await listPages.GetAsync(listCount / 2 - 25, 25);
        await TimeAsync("drill_all_list_next_page_halfway", o.Runs, async () => await listPages.GetAsync(listCount / 2, 25));
        await TimeAsync("ledger_history_page", o.Runs, async () => await queries.GetLedgerAsync(accountId, range.From, range.To, 0, 25));
    }

    private static async Task TimeAsync(string name, int runs, Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        Figures.Print(name + "_first", watch.Elapsed.TotalMilliseconds, "ms");
        // Warm-up runs, not counted: .NET compiles hot methods again, optimised, after their first few dozen calls.
        for (var i = 0; i < 5; i++) await action();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            watch.Restart();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Figures.Print(name + "_median", times[times.Count / 2], "ms");
        Figures.Print(name + "_max", times[^1], "ms");
    }

    public static async Task<long> AccountIdAsync(BenchOptions o)
    {
        await using var connection = new SqliteConnection(o.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Accounts WHERE Name = $n";
        command.Parameters.AddWithValue("$n", BenchSeed.AccountName);
        return (long)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("Seed first: no benchmark account in " + o.Db));
    }
}
