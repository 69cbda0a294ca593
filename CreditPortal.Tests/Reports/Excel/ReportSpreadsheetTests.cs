using System.IO.Compression;
using System.Text.Json;
using CreditPortal.Reports;

namespace CreditPortal.Tests.Reports.Excel;

/// <summary>
/// What the report's sheets look like when written through SpreadCheetah, checked by opening them with openpyxl.
/// Every workbook here goes to a forward-only stream that refuses synchronous writes, as an HTTP response body does.
/// </summary>
public sealed class ReportSpreadsheetTests
{
    private static readonly SheetColumn[] Columns =
    [
        SheetColumn.Date("Day", 12),
        SheetColumn.DateTime("Sent at", 17, "yyyy-mm-dd hh:mm"),
        SheetColumn.Text("List", 30),
        SheetColumn.Integer("Messages", 11, "#,##0"),
        SheetColumn.Integer("Credits", 10.5, "#,##0;-#,##0;0"),
        SheetColumn.Text("Channel", 9),
    ];

    /// <summary>A row as the report writes one: a value per column, null for an empty cell.</summary>
    private static void Set(ReportSpreadsheet book, SheetColumn[] columns, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            switch (columns[i].Kind)
            {
                case SheetColumnKind.Text: book.Text(i, (string?)values[i]); break;
                case SheetColumnKind.Integer: book.Integer(i, values[i] is null ? null : Convert.ToInt64(values[i])); break;
                case SheetColumnKind.Date: if (values[i] is DateOnly d) book.Date(i, d); break;
                case SheetColumnKind.DateTime: book.DateTime(i, (DateTime?)values[i]); break;
            }
        }
    }

    private static async Task<byte[]> WriteAsync(Func<ReportSpreadsheet, Task> write, int maxRowsPerSheet = ReportSpreadsheet.ExcelMaxRowsPerSheet)
    {
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        await using (var book = await ReportSpreadsheet.CreateAsync(output, maxRowsPerSheet, default))
        {
            await write(book);
            await book.CompleteAsync(default);
        }
        return output.Received;
    }

    private static async Task SheetAsync(ReportSpreadsheet book, string name, SheetColumn[] columns, IReadOnlyList<object?[]> rows)
    {
        await book.BeginSheetAsync(name, columns, rows.Count, default);
        foreach (var row in rows)
        {
            Set(book, columns, row);
            await book.WriteRowAsync(default);
        }
    }

    [Fact]
    public async Task Every_sheet_has_a_bold_frozen_header_an_auto_filter_over_all_rows_and_the_column_widths()
    {
        var xlsx = await WriteAsync(async book =>
        {
            await SheetAsync(book, "Consumptions", Columns,
                [.. Enumerable.Range(0, 3).Select(i => new object?[] { new DateOnly(2026, 11, 1 + i), new DateTime(2026, 11, 1 + i, 9, 30, 0), "Weekly news", 1000 + i, 1000 + i, "email" })]);
            await SheetAsync(book, "Summary", [SheetColumn.Text("Channel", 15), SheetColumn.Integer("Credits", 12, "#,##0")], [["email", 3003]]);
        });

        var book = Openpyxl.Describe(xlsx);

        Assert.Equal(["Consumptions", "Summary"], book.Sheets.Select(s => s.Name));
        var consumptions = book["Consumptions"];
        Assert.Equal("A2", consumptions.FreezePanes);
        Assert.Equal("A1:F4", consumptions.AutoFilter);
        Assert.Equal(4, consumptions.MaxRow);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 12, ["B"] = 17, ["C"] = 30, ["D"] = 11, ["E"] = 10.5, ["F"] = 9 }, consumptions.ColumnWidths);
        Assert.Equal(["Day", "Sent at", "List", "Messages", "Credits", "Channel"], consumptions.Rows[0].Select(c => c.Text));
        Assert.All(consumptions.Rows[0], header => Assert.True(header.Bold, header.Ref + " should be bold"));
        Assert.All(consumptions.Rows.Skip(1).SelectMany(r => r), cell => Assert.False(cell.Bold, cell.Ref + " should not be bold"));

        var summary = book["Summary"];
        Assert.Equal(("A2", "A1:B2"), (summary.FreezePanes, summary.AutoFilter));
        Assert.Equal(new Dictionary<string, double> { ["A"] = 15, ["B"] = 12 }, summary.ColumnWidths);
        Assert.Null(book.ZipCrcError);
        Assert.Empty(book.Warnings);
    }

    [Fact]
    public async Task Dates_are_real_dates_and_numbers_are_numbers_with_their_formats()
    {
        var xlsx = await WriteAsync(book => SheetAsync(book, "Consumptions", Columns,
        [
            [new DateOnly(2026, 3, 29), new DateTime(2026, 3, 29, 2, 30, 15, DateTimeKind.Utc), "Spring sale", 12_345, -40L, "sms"],
            [null, null, null, null, null, null],
            [null, null, "after the empty row", null, null, null],
        ]));

        var sheet = Openpyxl.Describe(xlsx)["Consumptions"];

        // openpyxl reports a number shown with a date format as a datetime with data_type "d".
        var day = sheet[2, 1];
        Assert.Equal(("datetime", "d", "yyyy-mm-dd", "2026-03-29T00:00:00"), (day.PythonType, day.DataType, day.NumberFormat, day.Text));
        var sentAt = sheet[2, 2];
        // The wall-clock time exactly as given: a DateTime's Kind is not a zone to convert from.
        Assert.Equal(("datetime", "d", "yyyy-mm-dd hh:mm", "2026-03-29T02:30:15"), (sentAt.PythonType, sentAt.DataType, sentAt.NumberFormat, sentAt.Text));
        Assert.Equal(("str", "s", "Spring sale"), (sheet[2, 3].PythonType, sheet[2, 3].DataType, sheet[2, 3].Text));
        var messages = sheet[2, 4];
        Assert.Equal(("int", "n", "#,##0", 12_345), (messages.PythonType, messages.DataType, messages.NumberFormat, messages.Value.GetInt32()));
        Assert.Equal(("#,##0;-#,##0;0", -40), (sheet[2, 5].NumberFormat, sheet[2, 5].Value.GetInt32()));

        // Empty cells hold nothing, and the rows after them keep their numbers.
        Assert.Equal(4, sheet.MaxRow);
        Assert.All(sheet.Rows[2], cell => Assert.Equal(JsonValueKind.Null, cell.Value.ValueKind));
        Assert.Equal("after the empty row", sheet[4, 3].Text);
        Assert.Equal(JsonValueKind.Null, sheet[4, 1].Value.ValueKind);
    }

    [Theory]
    [InlineData("=cmd()")]
    [InlineData("=HYPERLINK(\"http://example.invalid\",\"x\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    public async Task Text_that_looks_like_a_formula_stays_literal_text(string text)
    {
        var xlsx = await WriteAsync(book => SheetAsync(book, "Lists", [SheetColumn.Text(text, 20), SheetColumn.Text("Plain", 20)], [[text, "plain"]]));

        var book = Openpyxl.Describe(xlsx);
        Assert.Equal(("s", "str", text), (book["Lists"][1, 1].DataType, book["Lists"][1, 1].PythonType, book["Lists"][1, 1].Text));
        Assert.Equal(("s", "str", text), (book["Lists"][2, 1].DataType, book["Lists"][2, 1].PythonType, book["Lists"][2, 1].Text));
        Assert.NotEmpty(book.FormulaElements);
        Assert.All(book.FormulaElements, part => Assert.Equal(0, part.Value));
    }

    [Fact]
    public async Task Characters_xml_cannot_carry_are_dropped_and_the_file_still_opens()
    {
        var xlsx = await WriteAsync(book => SheetAsync(book, "Odd text", [SheetColumn.Text("Head\u0000er", 20)],
        [
            ["a\u0001b\u0008c\u001Fd\uFFFEe\uFFFF"],
            ["tab\tand\r\nnew line"],
            ["lone \uD800 surrogate, pair \U0001F600"],
            ["  padded  "],
            [new string('x', 40_000)],
            ["<b>&amp;</b> \"quoted\" 'single'"],
        ]));

        var sheet = Openpyxl.Describe(xlsx).Sheets.Single();

        Assert.Equal("Header", sheet[1, 1].Text);
        Assert.Equal("abcde", sheet[2, 1].Text);
        Assert.Equal("tab\tand\nnew line", sheet[3, 1].Text); // XML reads CR LF as LF, Excel's own line break
        Assert.Equal("lone \uFFFD surrogate, pair \U0001F600", sheet[4, 1].Text);
        Assert.Equal("  padded  ", sheet[5, 1].Text);
        Assert.Equal(32_767, sheet[6, 1].Text!.Length); // Excel's cell limit
        Assert.Equal("<b>&amp;</b> \"quoted\" 'single'", sheet[7, 1].Text);
    }

    [Fact]
    public async Task Text_that_looks_like_an_excel_character_escape_is_itself_escaped()
    {
        // Excel reads _xHHHH_ in cell text as the character HHHH; openpyxl does not decode it, so this is
        // checked in the XML: the underscore is written as _x005F_, which Excel turns back into "_".
        var xlsx = await WriteAsync(book => SheetAsync(book, "Lists", [SheetColumn.Text("Name", 20)], [["code _x0041_ and _x00zz_"]]));

        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        Assert.Contains("code _x005F_x0041_ and _x00zz_", reader.ReadToEnd());
    }

    [Fact]
    public async Task A_sheet_past_the_row_limit_continues_on_further_sheets_with_the_same_header()
    {
        // Limit 5 rows per sheet: the header and 4 data rows. 11 data rows → 4 + 4 + 3.
        SheetColumn[] columns = [SheetColumn.Integer("Number", 8, "0"), SheetColumn.Text("Label", 25), SheetColumn.Date("Day", 12)];
        var xlsx = await WriteAsync(async book =>
        {
            await SheetAsync(book, "Consumptions", columns, [.. Enumerable.Range(1, 11).Select(i => new object?[] { i, $"row {i}", new DateOnly(2026, 1, i) })]);
            await SheetAsync(book, "Summary", [SheetColumn.Text("Total", 10)], [["11"]]);
            Assert.Equal(["Consumptions", "Consumptions (2)", "Consumptions (3)", "Summary"], book.SheetNames);
        }, maxRowsPerSheet: 5);

        var book = Openpyxl.Describe(xlsx);

        Assert.Equal(["Consumptions", "Consumptions (2)", "Consumptions (3)", "Summary"], book.Sheets.Select(s => s.Name));
        var parts = book.Sheets.Take(3).ToList();
        Assert.Equal([5, 5, 4], parts.Select(s => s.MaxRow));
        Assert.Equal(["A1:C5", "A1:C5", "A1:C4"], parts.Select(s => s.AutoFilter));
        foreach (var part in parts)
        {
            Assert.Equal("A2", part.FreezePanes);
            Assert.Equal(["Number", "Label", "Day"], part.Rows[0].Select(c => c.Text));
            Assert.All(part.Rows[0], header => Assert.True(header.Bold));
            Assert.Equal(new Dictionary<string, double> { ["A"] = 8, ["B"] = 25, ["C"] = 12 }, part.ColumnWidths);
            Assert.All(part.Rows.Skip(1), row => Assert.Equal("yyyy-mm-dd", row[2].NumberFormat));
        }
        Assert.Equal(Enumerable.Range(1, 11), parts.SelectMany(p => p.Rows.Skip(1)).Select(row => row[0].Value.GetInt32()));
        Assert.Equal("2026-01-11T00:00:00", parts[2][4, 3].Text);
        Assert.Equal(("A1:A2", 2), (book["Summary"].AutoFilter, book["Summary"].MaxRow));
    }

    [Fact]
    public async Task A_sheet_exactly_at_the_row_limit_does_not_start_an_empty_continuation()
    {
        var xlsx = await WriteAsync(book => SheetAsync(book, "Consumptions", [SheetColumn.Integer("Number", 8, "0")],
            [.. Enumerable.Range(1, 4).Select(i => new object?[] { i })]), maxRowsPerSheet: 5);

        var sheet = Openpyxl.Describe(xlsx).Sheets.Single();
        Assert.Equal(("Consumptions", 5, "A1:A5"), (sheet.Name, sheet.MaxRow, sheet.AutoFilter));
    }

    [Fact]
    public async Task An_empty_sheet_is_its_header_with_the_filter_on_it()
    {
        var xlsx = await WriteAsync(book => SheetAsync(book, "Ledger", Columns, []));

        var sheet = Openpyxl.Describe(xlsx).Sheets.Single();
        Assert.Equal((1, "A1:F1", "A2"), (sheet.MaxRow, sheet.AutoFilter, sheet.FreezePanes));
    }

    [Fact]
    public async Task Bytes_reach_a_forward_only_output_while_rows_are_written_not_all_at_the_end()
    {
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        SheetColumn[] columns = [SheetColumn.Integer("Number", 8, "0"), SheetColumn.Text("Label", 25), SheetColumn.DateTime("At", 17, "yyyy-mm-dd hh:mm")];
        await using (var book = await ReportSpreadsheet.CreateAsync(output, ReportSpreadsheet.ExcelMaxRowsPerSheet, default))
        {
            await book.BeginSheetAsync("Consumptions", columns, 20_000, default);
            for (var i = 1; i <= 20_000; i++)
            {
                book.Integer(0, i);
                book.Text(1, $"row {i}");
                book.DateTime(2, new DateTime(2026, 11, 22, 8, 0, 0).AddMinutes(i));
                await book.WriteRowAsync(default);
                if (i == 10_000) Assert.True(output.BytesReceived > 0, "nothing passed on after 10,000 rows");
            }
            await book.CompleteAsync(default);
        }
        Assert.False(output.Disposed); // the response body belongs to the caller

        var sheet = Openpyxl.Describe(output.Received, maxRowsPerSheet: 3).Sheets.Single();
        Assert.Equal((20_001, "A1:C20001"), (sheet.MaxRow, sheet.AutoFilter));
        Assert.Equal("2026-11-22T08:02:00", sheet[3, 3].Text);
    }

    [Fact]
    public async Task A_workbook_disposed_without_completing_is_not_a_valid_file()
    {
        // An export that fails half-way must not look like a complete (short) report: not even a readable zip.
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        await using (var book = await ReportSpreadsheet.CreateAsync(output, ReportSpreadsheet.ExcelMaxRowsPerSheet, default))
        {
            await book.BeginSheetAsync("Consumptions", [SheetColumn.Integer("Number", 8, "0")], 50_000, default);
            for (var i = 0; i < 50_000; i++)
            {
                book.Integer(0, i);
                await book.WriteRowAsync(default);
            }
        }

        Assert.True(output.BytesReceived > 0);
        Assert.Throws<InvalidDataException>(() => new ZipArchive(new MemoryStream(output.Received), ZipArchiveMode.Read));
        Assert.NotNull(Openpyxl.OpenError(output.Received));
    }

    [Fact]
    public async Task A_value_of_the_wrong_kind_for_its_column_is_refused()
    {
        await using var book = await ReportSpreadsheet.CreateAsync(new ForwardOnlyStream(), ReportSpreadsheet.ExcelMaxRowsPerSheet, default);
        await book.BeginSheetAsync("Consumptions", Columns, 1, default);

        var wrong = Assert.Throws<ArgumentException>(() => book.Integer(2, 5));
        Assert.Contains("\"List\"", wrong.Message);
        Assert.Throws<ArgumentException>(() => book.Text(0, "2026-01-01"));
        Assert.Throws<ArgumentException>(() => book.DateTime(0, new DateTime(2026, 1, 1)));
    }

    [Theory]
    [InlineData(1, "A")]
    [InlineData(14, "N")]
    [InlineData(26, "Z")]
    [InlineData(27, "AA")]
    [InlineData(702, "ZZ")]
    [InlineData(703, "AAA")]
    [InlineData(16_384, "XFD")]
    public void Column_letters_follow_excel(int number, string letters) => Assert.Equal(letters, ReportSpreadsheet.ColumnLetters(number));
}
