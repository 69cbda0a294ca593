using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// The drill-down read by key (ConsumptionPages): every way a grid can ask for pages gives exactly the rows an
/// offset over the drill-down's order would, including many sends decided at the same instant, the queued ones at
/// the end and every filter; and the statements seek instead of walking to a depth.
/// </summary>
public sealed class ConsumptionPagesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 7, 0, 0, TimeSpan.Zero);
    private static readonly ConsumptionQuery All = new(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31));

    private LedgerHarness _h = default!;
    private long _account;
    private long[] _lists = [];
    private ReportQueries _reports = default!;

    public async Task InitializeAsync()
    {
        _h = LedgerHarness.Start(Start);
        _account = await _h.CreateAccountAsync("Keyset Mail");
        _lists = [await List("Zeta"), await List("Alpha"), await List("Mid")];
        await _h.GrantAsync(_account, 100_000);
        await _h.GrantAsync(_account, 100_000, channel: Channel.Sms);
        await _h.Ledger.SetCapAsync(_account, _lists[2], Channel.Email, true, 30, LedgerHarness.Owner);

        // Bursts at the same instant: one decision time for many sends on every list, both channels, both outcomes
        // (the third list's cap refuses), so the order within an instant (list, channel, status, id) is exercised.
        for (var burst = 0; burst < 4; burst++)
        {
            await _h.AdvanceToAsync(Start.AddHours(burst * 7));
            await Task.WhenAll(Enumerable.Range(0, 18).Select(i =>
                _h.Ledger.ConsumeAsync(_account, new ConsumptionRequest(i % 3 == 0 ? Channel.Sms : Channel.Email, _lists[i % 3], 1 + i % 5,
                    i % 3 == 0 ? "IT" : null, $"b{burst} s{i}", $"k{burst}-{i}"), LedgerHarness.Owner)));
        }
        // Held sends at the end of the order (R9).
        await _h.Ledger.UpdateSettingsAsync(_account, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        await _h.AdvanceAsync(TimeSpan.FromHours(1));
        for (var i = 0; i < 5; i++)
        {
            var held = await _h.SendAsync(_account, _lists[i % 2], 1_000_000, key: $"held-{i}");
            Assert.Equal(ConsumptionStatus.Queued, held.Status);
        }
        _reports = new ReportQueries(_h.Database.Portal);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<long> List(string name) => _h.Ledger.CreateListAsync(_account, name, LedgerHarness.Owner);

    /// <summary>The drill-down's order, from the consumptions themselves: decided by (instant, list, channel, status, id), then queued by id.</summary>
    private async Task<List<long>> ExpectedAsync(ConsumptionQuery query)
    {
        await using var db = _h.Db();
        var rows = await db.Consumptions.Where(c => c.AccountId == _account).ToListAsync();
        var selected = rows.Where(c => (query.ListId is null || c.ListId == query.ListId) && (query.Channel is null || c.Channel == query.Channel)
                                        && (query.Status is null || c.Status == query.Status)).ToList();
        return
        [
            .. selected.Where(c => c.DecidedAt is not null).OrderBy(c => c.DecidedAt!.Value.UtcTicks).ThenBy(c => c.ListId)
                .ThenBy(c => c.Channel.ToString(), StringComparer.Ordinal).ThenBy(c => c.Status.ToString(), StringComparer.Ordinal).ThenBy(c => c.Id)
                .Select(c => c.Id),
            .. selected.Where(c => c.DecidedAt is null).OrderBy(c => c.Id).Select(c => c.Id),
        ];
    }

    public static TheoryData<int> PageSizes => [1, 4, 7, 25];

    [Theory]
    [MemberData(nameof(PageSizes))]
    public async Task Next_previous_first_and_last_give_the_rows_an_offset_would(int size)
    {
        var expected = await ExpectedAsync(All);
        Assert.True(expected.Count > 70, "the scenario has bursts and held sends");
        var pages = _reports.Consumptions(_account, All);

        // Forward to the end, then backward to the start, then last and first: each page is the offset's slice.
        var lastStart = (expected.Count - 1) / size * size;
        var offsets = Enumerable.Range(0, lastStart / size + 1).Select(p => p * size).ToList();
        foreach (var skip in offsets.Concat(Enumerable.Reverse(offsets)).Append(lastStart).Append(0))
        {
            var page = await pages.GetAsync(skip, size);
            Assert.Equal(expected.Count, page.Count);
            Assert.Equal(expected.Skip(skip).Take(size), page.Items.Select(l => l.Id));
        }
    }

    [Fact]
    public async Task Next_previous_first_and_last_start_at_a_remembered_key_without_walking()
    {
        var expected = await ExpectedAsync(All);
        var pages = _reports.Consumptions(_account, All);
        await pages.GetAsync(0, 10);
        await pages.GetAsync(10, 10);

        Assert.Equal(0, pages.Plan(20, 10, expected.Count).Skip);                      // next: right after the last row shown
        Assert.Equal(0, pages.Plan(0, 10, expected.Count).Skip);                       // first
        Assert.Equal(0, pages.Plan(expected.Count - 10, 10, expected.Count).Skip);     // last: backward from the end
        var previous = pages.Plan(0, 10, expected.Count);
        Assert.Equal((0, 10), (previous.Skip, previous.Take));
        var back = pages.Plan(10, 10, expected.Count);
        Assert.Equal(0, back.Skip);
        // A jump far from every page seen walks from the nearer end, not from the start.
        var middle = pages.Plan(expected.Count - 25, 5, expected.Count);
        Assert.Equal((true, 20L), (middle.Backward, middle.Skip));
    }

    [Fact]
    public async Task Jumps_anywhere_in_any_order_give_the_rows_an_offset_would()
    {
        var expected = await ExpectedAsync(All);
        var pages = _reports.Consumptions(_account, All);
        foreach (var skip in new[] { 40, 3, 71, expected.Count - 2, 17, 18, 0, 55, expected.Count - 6, 29, expected.Count + 5 })
        {
            var page = await pages.GetAsync(skip, 6);
            Assert.Equal(expected.Skip(skip).Take(6), page.Items.Select(l => l.Id));
        }
    }

    public static TheoryData<long?, Channel?, ConsumptionStatus?> Filters => new()
    {
        { 0, null, null },
        { 2, Channel.Email, null },
        { null, Channel.Sms, null },
        { null, null, ConsumptionStatus.Accepted },
        { 2, null, ConsumptionStatus.Rejected },
        { null, null, ConsumptionStatus.Queued },
        { 1, Channel.Email, ConsumptionStatus.Queued },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_filter_pages_through_its_own_rows_in_both_directions(long? list, Channel? channel, ConsumptionStatus? status)
    {
        var query = All with { ListId = list is { } i ? _lists[i] : null, Channel = channel, Status = status };
        var expected = await ExpectedAsync(query);
        Assert.NotEmpty(expected);
        var pages = _reports.Consumptions(_account, query);
        var lastStart = (expected.Count - 1) / 3 * 3;
        var offsets = Enumerable.Range(0, lastStart / 3 + 1).Select(p => p * 3).ToList();
        foreach (var skip in offsets.Concat(Enumerable.Reverse(offsets)))
        {
            var page = await pages.GetAsync(skip, 3);
            Assert.Equal((long)expected.Count, page.Count);
            Assert.Equal(expected.Skip(skip).Take(3), page.Items.Select(l => l.Id));
        }
    }

    [Fact]
    public async Task A_page_beyond_the_end_is_empty_and_an_unknown_account_is_not_found()
    {
        var page = await _reports.GetConsumptionsAsync(_account, All, 10_000, 25);
        Assert.Empty(page.Items);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => _reports.GetConsumptionsAsync(9_999, All, 0, 25));
    }

    /// <summary>SQLite's query plans (PostgreSQL plans from its statistics; its statements are prepared by HandWrittenSqlStatementTests).</summary>
    [Fact, Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
    public async Task Every_report_statement_prepares_and_the_drill_down_pages_seek_without_sorting()
    {
        await using var connection = new SqliteConnection(_h.Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var (name, sql) in ReportReader.Sql.Sqlite.All)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var parameter in new[] { "@a", "@s", "@e", "@from", "@to", "@list", "@channel", "@status", "@kd", "@kl", "@kc", "@ks", "@ki", "@take", "@skip" })
            {
                if (sql.Contains(parameter, StringComparison.Ordinal)) command.Parameters.AddWithValue(parameter, DBNull.Value);
            }
            var plan = new List<string>();
            await using (var r = await command.ExecuteReaderAsync())
            {
                while (await r.ReadAsync()) plan.Add(r.GetString(3));
            }
            Assert.True(plan.Count > 0, name);
            // Nothing is sorted but the queued consumptions (the wallets' queues, found by their own index: a few rows).
            if (!name.StartsWith("Queued", StringComparison.Ordinal))
                Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
            if (name is nameof(ReportReader.Sql.DecidedForward) or nameof(ReportReader.Sql.DecidedBackward))
            {
                // The key's row value bounds the index range on the side the walk starts from (the far side is the
                // range's plain bound): the page starts where the key is, however deep.
                Assert.True(plan.Any(step => step.Contains($"INDEX {ReportIndexes.ConsumptionsByDecision} (AccountId=?", StringComparison.Ordinal)
                    && step.Contains("(DecidedAt,ListId,Channel,Status)", StringComparison.Ordinal)), string.Join(" | ", plan));
            }
        }
    }
}
