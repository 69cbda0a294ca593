using System.Globalization;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Tests.Reports.Excel;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Reports;

/// <summary>The exported workbook, opened by openpyxl (python3-openpyxl), independently of the code that wrote it.</summary>
public sealed class ReportWorkbookTests : IAsyncLifetime
{
    private static readonly string[] Sheets = ["Summary", "By list", "Consumptions", "Ledger"];

    private LedgerHarness _h = default!;
    private ReportScenario _s = default!;
    private PortalDatabase _database = default!;
    private readonly AccountCalendar _rome = new("Europe/Rome");
    private readonly ReportRange _range = new(ReportScenario.From, ReportScenario.To, ReportGrouping.Week);

    public async Task InitializeAsync()
    {
        _h = LedgerHarness.Start(ReportScenario.Start);
        _s = await ReportScenario.BuildAsync(_h);
        _database = _h.Database.Portal;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<(byte[] Bytes, ExportResult Result)> ExportAsync(ReportExport export)
    {
        using var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        var result = await export.WriteXlsxAsync(output, _s.AccountId, _range);
        return (output.Received, result);
    }

    [Fact]
    public async Task Four_sheets_one_per_view_with_bold_frozen_filtered_headers()
    {
        var (bytes, result) = await ExportAsync(new ReportExport(_database));
        var book = Openpyxl.Describe(bytes);

        Assert.Equal(Sheets, book.Sheets.Select(s => s.Name));
        Assert.Equal(Sheets, result.SheetNames);
        Assert.Empty(book.Warnings);
        Assert.Null(book.ZipCrcError);
        foreach (var sheet in book.Sheets)
        {
            Assert.Equal("A2", sheet.FreezePanes);
            Assert.Equal($"A1:{(char)('A' + sheet.MaxColumn - 1)}{sheet.MaxRow}", sheet.AutoFilter);
            Assert.All(sheet.Rows[0], header => Assert.True(header.Bold, $"{sheet.Name}!{header.Ref} is bold"));
            Assert.Equal(sheet.MaxColumn, sheet.ColumnWidths.Count);
        }
        Assert.All(book.FormulaElements.Values, count => Assert.Equal(0, count));
        Assert.Equal(book.Sheets.Sum(s => s.MaxRow - 1), result.RowsWritten);
    }

    [Fact]
    public async Task Sums_in_the_workbook_equal_the_ledger()
    {
        var book = Openpyxl.Describe((await ExportAsync(new ReportExport(_database))).Bytes);
        await using var db = _h.Db();
        var drawn = -await db.LedgerEntries.Where(e => e.AccountId == _s.AccountId && e.Kind == LedgerEntryKind.Consumption).SumAsync(e => e.Quantity);

        Assert.Equal(drawn, Column(book["Summary"], "Credits spent").Sum(c => c.Value.GetInt64()));
        Assert.Equal(drawn, Column(book["By list"], "Credits spent").Sum(c => c.Value.GetInt64()));
        Assert.Equal(drawn, Column(book["Consumptions"], "Credits drawn").Sum(c => c.Value.GetInt64()));
        Assert.Equal(await db.Consumptions.CountAsync(c => c.AccountId == _s.AccountId), book["Consumptions"].MaxRow - 1);
        Assert.Equal(await db.LedgerEntries.CountAsync(e => e.AccountId == _s.AccountId && e.Kind != LedgerEntryKind.Consumption),
            book["Ledger"].MaxRow - 1);
    }

    [Fact]
    public async Task Dates_are_date_cells_in_the_account_zone_and_numbers_are_number_cells_with_formats()
    {
        var book = Openpyxl.Describe((await ExportAsync(new ReportExport(_database))).Bytes);

        var summary = book["Summary"];
        AssertCell(summary[2, 1], "str", "s", "General", "2026-W10");
        AssertCell(summary[2, 2], "datetime", "d", "yyyy-mm-dd", "2026-03-02T00:00:00");
        AssertCell(summary[2, 3], "datetime", "d", "yyyy-mm-dd", "2026-03-08T00:00:00");
        Assert.Equal(("int", "n", "#,##0"), (summary[2, 5].PythonType, summary[2, 5].DataType, summary[2, 5].NumberFormat));

        // The edge periods are clipped to the range: the last ISO week of the range ends on 30 April, a Thursday.
        var lastTo = summary.Rows.Skip(1).Select(r => r[2].Text).Max();
        Assert.True(string.CompareOrdinal(lastTo, "2026-04-30T00:00:00") <= 0, lastTo);

        await using var db = _h.Db();
        var first = await db.Consumptions.Where(c => c.AccountId == _s.AccountId).OrderBy(c => c.Id).FirstAsync();
        var consumptions = book["Consumptions"];
        var row = consumptions.Rows.Skip(1).Single(r => r[0].Value.GetInt64() == first.Id);
        AssertCell(row[1], "datetime", "d", "yyyy-mm-dd hh:mm:ss", Local(first.RequestedAt));
        Assert.Equal("2026-03-02T09:00:00", row[1].Text); // 08:00 UTC is 09:00 in Rome in winter
        AssertCell(row[0], "int", "n", "0", first.Id.ToString(CultureInfo.InvariantCulture));

        // After the clocks went forward the offset is two hours: 30 March 00:30 local is 29 March 22:30 UTC.
        var afterDst = consumptions.Rows.Skip(1).Single(r => r[3].Text == "Newsletter" && r[7].Text == "40");
        Assert.Equal("2026-03-30T00:30:00", afterDst[2].Text);

        var queued = consumptions.Rows.Skip(1).Single(r => r[11].Text == "Queued");
        Assert.Null(queued[2].Text); // not decided: an empty cell, not a zero date
        Assert.Equal("still waiting", queued[13].Text);

        var ledger = book["Ledger"];
        Assert.All(ledger.Rows.Skip(1), r => Assert.Equal(("datetime", "yyyy-mm-dd hh:mm:ss"), (r[1].PythonType, r[1].NumberFormat)));
        var expiryParts = ledger.Rows.Skip(1).Where(r => r[3].Text == "Expiry" && r[8].Text == "Adjustment").ToList();
        Assert.Equal(-300, expiryParts.Sum(r => r[4].Value.GetInt64()));
        Assert.Equal(["Newsletter", "Transactional"], expiryParts.Select(r => r[9].Text).Where(t => t is not null).Order());
    }

    [Fact]
    public async Task A_hold_shows_in_the_ledger_sheet_as_credits_moved_into_it_and_back_out()
    {
        // Issue #17: a hold takes credits from the lots' drawable remaining into the hold; its void gives them back.
        var at = _h.Clock.GetUtcNow();
        Assert.InRange(_rome.LocalDate(at), ReportScenario.From, ReportScenario.To);
        var hold = (await _h.Ledger.PlaceHoldAsync(_s.AccountId,
            new HoldRequest(Channel.Email, _s.FormulaList, 100, null, "friday campaign", at.AddDays(3), "workbook-hold"), LedgerHarness.Owner)).Hold;
        await _h.Ledger.VoidHoldAsync(_s.AccountId, hold.Id, LedgerHarness.Owner);

        var ledger = Openpyxl.Describe((await ExportAsync(new ReportExport(_database))).Bytes)["Ledger"];
        Assert.Equal("Held change", ledger.Rows[0][6].Text);
        var placed = ledger.Rows.Skip(1).Where(r => r[3].Text == nameof(LedgerEntryKind.Hold)).ToList();
        var released = ledger.Rows.Skip(1).Where(r => r[3].Text == nameof(LedgerEntryKind.HoldReleased)).ToList();
        Assert.Equal((-100L, 100L), (placed.Sum(r => r[4].Value.GetInt64()), placed.Sum(r => r[6].Value.GetInt64())));
        Assert.Equal((100L, -100L), (released.Sum(r => r[4].Value.GetInt64()), released.Sum(r => r[6].Value.GetInt64())));
        Assert.All(placed.Concat(released), r => Assert.Equal(ReportScenario.FormulaLikeName, r[9].Text));
        // Every other entry moves nothing into or out of holds (a number cell, 0, like "Assigned change").
        Assert.All(ledger.Rows.Skip(1).Except(placed).Except(released), r => Assert.Equal(0L, r[6].Value.GetInt64()));
        await _h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Formula_like_names_and_references_stay_text()
    {
        var book = Openpyxl.Describe((await ExportAsync(new ReportExport(_database))).Bytes);

        var listCells = book["By list"].Rows.Skip(1).Select(r => r[3]).Where(c => c.Text == ReportScenario.FormulaLikeName).ToList();
        Assert.NotEmpty(listCells);
        Assert.All(listCells, c => Assert.Equal(("str", "s"), (c.PythonType, c.DataType)));
        var reference = book["Consumptions"].Rows.Skip(1).Select(r => r[13]).Single(c => c.Text?.StartsWith("=HYPERLINK", StringComparison.Ordinal) == true);
        Assert.Equal(("s", "=HYPERLINK(\"http://evil.test\")"), (reference.DataType, reference.Text));
        Assert.All(book.FormulaElements.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Past_the_row_limit_consumptions_continue_on_further_sheets_with_the_same_header()
    {
        var (bytes, result) = await ExportAsync(new ReportExport(_database) { MaxRowsPerSheet = 5 });
        var book = Openpyxl.Describe(bytes);

        var parts = book.Sheets.Where(s => s.Name.StartsWith("Consumptions", StringComparison.Ordinal)).ToList();
        await using var db = _h.Db();
        var count = await db.Consumptions.CountAsync(c => c.AccountId == _s.AccountId);
        Assert.Equal((count + 3) / 4, parts.Count);
        Assert.Equal(["Consumptions", "Consumptions (2)", "Consumptions (3)"], parts.Take(3).Select(s => s.Name));
        Assert.Equal(result.SheetNames, book.Sheets.Select(s => s.Name));
        Assert.All(parts, p =>
        {
            Assert.InRange(p.MaxRow, 2, 5);
            Assert.Equal("Id", p[1, 1].Text);
            Assert.Equal("A2", p.FreezePanes);
            Assert.Equal($"A1:N{p.MaxRow}", p.AutoFilter);
        });
        var ids = parts.SelectMany(p => p.Rows.Skip(1).Select(r => r[0].Value.GetInt64())).ToList();
        Assert.Equal(count, ids.Distinct().Count());
        Assert.Equal("Ledger", book.Sheets[^1].Name.Split(' ')[0]);
    }

    [Fact]
    public async Task An_empty_range_still_makes_a_valid_workbook_of_headers()
    {
        using var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        await new ReportExport(_database).WriteXlsxAsync(output, _s.AccountId, new ReportRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)));
        var book = Openpyxl.Describe(output.Received);
        Assert.Equal(Sheets, book.Sheets.Select(s => s.Name));
        Assert.All(book.Sheets, s => Assert.Equal(1, s.MaxRow));
    }

    [Fact]
    public async Task An_unknown_account_writes_nothing()
    {
        using var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => new ReportExport(_database).WriteXlsxAsync(output, 9_999, _range));
        Assert.Empty(output.Received);
    }

    private string Local(DateTimeOffset instant)
        => _rome.ToLocal(instant).DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static IEnumerable<Openpyxl.Cell> Column(Openpyxl.Sheet sheet, string header)
    {
        var index = sheet.Rows[0].FindIndex(c => c.Text == header);
        Assert.True(index >= 0, $"{sheet.Name} has a column {header}");
        return sheet.Rows.Skip(1).Select(r => r[index]);
    }

    private static void AssertCell(Openpyxl.Cell cell, string pythonType, string dataType, string format, string text)
        => Assert.Equal((pythonType, dataType, format, text), (cell.PythonType, cell.DataType, cell.NumberFormat, cell.Text));
}
