using System.Globalization;
using System.Text;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Tests.Reports.Excel;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Reports;

/// <summary>The consumption rows as CSV, parsed back with CsvHelper's reader and compared with the ledger and the drill-down.</summary>
public sealed class ReportCsvTests : IAsyncLifetime
{
    private LedgerHarness _h = default!;
    private ReportScenario _s = default!;
    private ReportExport _export = default!;
    private readonly ReportRange _range = new(ReportScenario.From, ReportScenario.To);

    public async Task InitializeAsync()
    {
        _h = LedgerHarness.Start(ReportScenario.Start);
        _s = await ReportScenario.BuildAsync(_h);
        _export = new ReportExport(_h.Database.Portal);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<(byte[] Bytes, ExportResult Result)> ExportAsync(ReportRange range)
    {
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        var result = await _export.WriteCsvAsync(output, _s.AccountId, range);
        return (output.Received, result);
    }

    private static List<Dictionary<string, string?>> Parse(byte[] csv)
    {
        using var reader = CsvReader.Create(csv);
        var rows = new List<Dictionary<string, string?>>();
        while (reader.Read()) rows.Add(ReportCsv.Header.ToDictionary(h => h, h => reader.IsEmpty(reader.GetFieldIndex(h)) ? null : reader.GetString(h)));
        Assert.Equal(ReportCsv.Header, reader.Headers);
        return rows;
    }

    [Fact]
    public async Task Every_consumption_is_a_line_in_the_drill_downs_order_with_the_same_values()
    {
        var (bytes, result) = await ExportAsync(_range);
        var rows = Parse(bytes);

        var drill = await new ReportQueries(_h.Database.Portal)
            .GetConsumptionsAsync(_s.AccountId, new ConsumptionQuery(_range.From, _range.To), 0, 1_000);
        Assert.Equal(drill.Items.Select(c => c.Id), rows.Select(r => long.Parse(r["id"]!, CultureInfo.InvariantCulture)));
        Assert.Equal(rows.Count, result.RowsWritten);
        foreach (var (line, row) in drill.Items.Zip(rows))
        {
            Assert.Equal(line.RequestedAt, DateTimeOffset.Parse(row["requestedAt"]!, CultureInfo.InvariantCulture));
            Assert.Equal(line.DecidedAt, row["decidedAt"] is { } d ? DateTimeOffset.Parse(d, CultureInfo.InvariantCulture) : null);
            Assert.Equal((line.ListId, line.Channel.ToString(), line.Country, line.Status.ToString(), line.Reason),
                (long.Parse(row["listId"]!, CultureInfo.InvariantCulture), row["channel"], row["country"], row["status"], row["reason"]));
            Assert.Equal((line.Messages, line.CreditsPerMessage, line.Credits, line.CreditsDrawn),
                (long.Parse(row["messages"]!, CultureInfo.InvariantCulture), int.Parse(row["creditsPerMessage"]!, CultureInfo.InvariantCulture),
                    long.Parse(row["credits"]!, CultureInfo.InvariantCulture), long.Parse(row["creditsDrawn"]!, CultureInfo.InvariantCulture)));
        }

        await using var db = _h.Db();
        var drawn = -await db.LedgerEntries.Where(e => e.AccountId == _s.AccountId && e.Kind == LedgerEntryKind.Consumption).SumAsync(e => e.Quantity);
        Assert.Equal(drawn, rows.Sum(r => long.Parse(r["creditsDrawn"]!, CultureInfo.InvariantCulture)));
        Assert.Equal(await db.Consumptions.CountAsync(c => c.AccountId == _s.AccountId), rows.Count);
    }

    [Fact]
    public async Task Instants_are_local_to_the_account_with_their_offset_either_side_of_the_clock_change()
    {
        var rows = Parse((await ExportAsync(_range)).Bytes);

        var first = rows.First(r => r["reference"] == "March newsletter");
        Assert.Equal("2026-03-02T09:00:00+01:00", first["decidedAt"]); // 08:00 UTC, winter time in Rome
        var newsletterDecisions = rows.Where(r => r["listName"] == "Newsletter").Select(r => r["decidedAt"]).ToList();
        Assert.Contains("2026-03-29T00:30:00+01:00", newsletterDecisions);  // the night the clocks went forward, before
        Assert.Contains("2026-03-30T00:30:00+02:00", newsletterDecisions);  // and a day later, in summer time
        var queued = rows.Single(r => r["status"] == "Queued");
        Assert.Equal(("still waiting", null), (queued["reference"], queued["decidedAt"]));
    }

    [Fact]
    public async Task Text_that_a_spreadsheet_would_run_is_escaped_and_the_file_starts_with_a_byte_order_mark()
    {
        var bytes = (await ExportAsync(_range)).Bytes;
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("id,requestedAt,decidedAt,listName,", text);
        Assert.EndsWith("\r\n", text);

        var rows = Parse(bytes);
        Assert.Contains(rows, r => r["listName"] == "'" + ReportScenario.FormulaLikeName);
        Assert.DoesNotContain(rows, r => r["listName"] == ReportScenario.FormulaLikeName);
        Assert.Contains(rows, r => r["reference"] == "'=HYPERLINK(\"http://evil.test\")");
        Assert.Contains(rows, r => r["reference"] == "far too big");
        Assert.Contains(rows, r => r["listName"] == "Newsletter");
    }

    [Fact]
    public async Task An_empty_range_is_the_header_alone_and_an_unknown_account_writes_nothing()
    {
        var (bytes, result) = await ExportAsync(new ReportRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)));
        Assert.Empty(Parse(bytes));
        Assert.Equal(0, result.RowsWritten);

        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => _export.WriteCsvAsync(output, 9_999, _range));
        Assert.Empty(output.Received);
    }
}
