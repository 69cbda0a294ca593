using System.IO.Compression;
using System.Text.Json;
using CreditPortal.Reports.Excel;

namespace CreditPortal.Tests.Reports.Excel;

/// <summary>
/// The streaming .xlsx writer, checked by opening what it writes with openpyxl. Every workbook here is
/// written to a forward-only stream (no Seek/Position/Length), as an HTTP response body would be.
/// </summary>
public sealed class XlsxStreamWriterTests
{
    private static readonly XlsxColumn[] ConsumptionColumns =
    [
        XlsxColumn.Date("Day", 12),
        XlsxColumn.DateTime("Sent at", 17),
        XlsxColumn.Text("List", 30),
        XlsxColumn.Integer("Messages", 11),
        XlsxColumn.Integer("Credits", 10.5),
        XlsxColumn.Text("Channel", 9),
        XlsxColumn.Decimal("Amount", 14),
    ];

    private static byte[] Write(Action<XlsxStreamWriter> write, int? maxRowsPerSheet = null)
    {
        var output = new ForwardOnlyStream();
        using (var writer = maxRowsPerSheet is { } max
                   ? new XlsxStreamWriter(output, leaveOpen: true) { MaxRowsPerSheet = max }
                   : new XlsxStreamWriter(output, leaveOpen: true))
        {
            write(writer);
            writer.Complete();
        }
        return output.Received;
    }

    [Fact]
    public void Every_sheet_has_a_bold_frozen_header_an_auto_filter_over_all_rows_and_the_column_widths()
    {
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Consumptions", ConsumptionColumns);
            for (var i = 0; i < 3; i++)
            {
                writer.WriteRow([new DateOnly(2026, 11, 1 + i), new DateTime(2026, 11, 1 + i, 9, 30, 0), "Weekly news", 1000 + i, 1000 + i, "email", 12.5m * i]);
            }
            writer.BeginSheet("Summary", [XlsxColumn.Text("Channel", 15), XlsxColumn.Integer("Credits", 12)]);
            writer.WriteRow(["email", 3003]);
        });

        var book = Openpyxl.Describe(xlsx);

        Assert.Equal(["Consumptions", "Summary"], book.Sheets.Select(s => s.Name));
        var consumptions = book["Consumptions"];
        Assert.Equal("A2", consumptions.FreezePanes);
        Assert.Equal("A1:G4", consumptions.AutoFilter);
        Assert.Equal(4, consumptions.MaxRow);
        Assert.Equal(
            new Dictionary<string, double> { ["A"] = 12, ["B"] = 17, ["C"] = 30, ["D"] = 11, ["E"] = 10.5, ["F"] = 9, ["G"] = 14 },
            consumptions.ColumnWidths);
        Assert.Equal(["Day", "Sent at", "List", "Messages", "Credits", "Channel", "Amount"], consumptions.Rows[0].Select(c => c.Text));
        Assert.All(consumptions.Rows[0], header => Assert.True(header.Bold, header.Ref + " should be bold"));
        Assert.All(consumptions.Rows.Skip(1).SelectMany(r => r), cell => Assert.False(cell.Bold, cell.Ref + " should not be bold"));

        var summary = book["Summary"];
        Assert.Equal("A2", summary.FreezePanes);
        Assert.Equal("A1:B2", summary.AutoFilter);
        Assert.Equal(new Dictionary<string, double> { ["A"] = 15, ["B"] = 12 }, summary.ColumnWidths);

        // Excel keeps an auto-filter only with the sheet's hidden _FilterDatabase name.
        Assert.Equal(
            [
                new Openpyxl.DefinedName("_xlnm._FilterDatabase", 0, true, "'Consumptions'!$A$1:$G$4"),
                new Openpyxl.DefinedName("_xlnm._FilterDatabase", 1, true, "'Summary'!$A$1:$B$2"),
            ],
            book.DefinedNames);
        Assert.Null(book.ZipCrcError);
        Assert.Empty(book.Warnings);
    }

    [Fact]
    public void Dates_are_real_dates_and_numbers_are_numbers_with_their_formats()
    {
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Consumptions",
            [
                .. ConsumptionColumns,
                XlsxColumn.Decimal("Rate", 10, "0.0000"),
            ]);
            writer.WriteRow([new DateOnly(2026, 3, 29), new DateTime(2026, 3, 29, 2, 30, 15), "Spring sale", 12_345, -40L, "sms", 1234.56m, 0.0125m]);
            writer.WriteRow([XlsxCell.Empty, (DateTime?)null, (string?)null, (long?)null, (int?)null, default, (decimal?)null, default]);
            writer.WriteRow([XlsxCell.Empty, default, "after the empty row"]);
        });

        var sheet = Openpyxl.Describe(xlsx)["Consumptions"];

        // openpyxl reports a number shown with a date format as a datetime with data_type "d".
        var day = sheet[2, 1];
        Assert.Equal(("datetime", "d", "yyyy-mm-dd", "2026-03-29T00:00:00"), (day.PythonType, day.DataType, day.NumberFormat, day.Text));
        var sentAt = sheet[2, 2];
        Assert.Equal(("datetime", "d", "yyyy-mm-dd hh:mm", "2026-03-29T02:30:15"), (sentAt.PythonType, sentAt.DataType, sentAt.NumberFormat, sentAt.Text));
        var list = sheet[2, 3];
        Assert.Equal(("str", "s", "Spring sale"), (list.PythonType, list.DataType, list.Text));
        var messages = sheet[2, 4];
        Assert.Equal(("int", "n", "#,##0", 12_345), (messages.PythonType, messages.DataType, messages.NumberFormat, messages.Value.GetInt32()));
        Assert.Equal(-40, sheet[2, 5].Value.GetInt32());
        var amount = sheet[2, 7];
        Assert.Equal(("float", "n", "#,##0.00", 1234.56), (amount.PythonType, amount.DataType, amount.NumberFormat, amount.Value.GetDouble()));
        var rate = sheet[2, 8];
        Assert.Equal(("0.0000", 0.0125), (rate.NumberFormat, rate.Value.GetDouble()));

        // Empty cells (default and every null) hold nothing, and the rows after them keep their numbers.
        Assert.Equal(4, sheet.MaxRow);
        Assert.All(sheet.Rows[2], cell => Assert.Equal(JsonValueKind.Null, cell.Value.ValueKind));
        Assert.Equal(JsonValueKind.Null, sheet[4, 1].Value.ValueKind);
        Assert.Equal("after the empty row", sheet[4, 3].Text);
    }

    [Theory]
    [InlineData("=cmd()")]
    [InlineData("=HYPERLINK(\"http://example.invalid\",\"x\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    public void Text_that_looks_like_a_formula_stays_literal_text(string text)
    {
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Lists", [XlsxColumn.Text(text, 20), XlsxColumn.Text("Plain", 20)]);
            writer.WriteRow([text, "plain"]);
        });

        var book = Openpyxl.Describe(xlsx);
        var header = book["Lists"][1, 1];
        var cell = book["Lists"][2, 1];

        Assert.Equal(("s", "str", text), (header.DataType, header.PythonType, header.Text));
        Assert.Equal(("s", "str", text), (cell.DataType, cell.PythonType, cell.Text));
        // The quote prefix keeps it text even when someone edits the cell in Excel.
        Assert.True(cell.QuotePrefix);
        Assert.False(book["Lists"][2, 2].QuotePrefix);
        Assert.All(book.FormulaElements, part => Assert.Equal(0, part.Value));
        Assert.NotEmpty(book.FormulaElements);
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_dropped_and_the_file_still_opens()
    {
        var longText = new string('x', 40_000);
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Odd\u0001 text", [XlsxColumn.Text("Head\u0000er", 20)]);
            writer.WriteRow(["a\u0001b\u0008c\u001Fd\uFFFEe"]);
            writer.WriteRow(["tab\tand\r\nnew line"]);
            writer.WriteRow(["lone \uD800 surrogate, pair \U0001F600"]);
            writer.WriteRow(["  padded  "]);
            writer.WriteRow([longText]);
        });

        var sheet = Openpyxl.Describe(xlsx).Sheets.Single();

        Assert.Equal("Odd text", sheet.Name);
        Assert.Equal("Header", sheet[1, 1].Text);
        Assert.Equal("abcde", sheet[2, 1].Text);
        Assert.Equal("tab\tand\nnew line", sheet[3, 1].Text); // XML reads CR LF as LF, Excel's own line break
        Assert.Equal("lone \uFFFD surrogate, pair \U0001F600", sheet[4, 1].Text);
        Assert.Equal("  padded  ", sheet[5, 1].Text);
        Assert.Equal(32_767, sheet[6, 1].Text!.Length); // Excel's cell limit
    }

    [Fact]
    public void Text_that_looks_like_an_excel_character_escape_is_itself_escaped()
    {
        // Excel reads _xHHHH_ in cell text as the character HHHH; openpyxl does not decode it, so this is
        // checked in the XML: the underscore is written as _x005F_, which Excel turns back into "_".
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Lists", [XlsxColumn.Text("Name", 20)]);
            writer.WriteRow(["code _x0041_ and _x00zz_"]);
        });

        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var sheetXml = reader.ReadToEnd();

        Assert.Contains("code _x005F_x0041_ and _x00zz_", sheetXml);
    }

    [Fact]
    public void A_sheet_past_the_row_limit_continues_on_further_sheets_with_the_same_header()
    {
        // Limit 5 rows per sheet: the header and 4 data rows. 11 data rows → 4 + 4 + 3.
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Consumptions", [XlsxColumn.Integer("Number", 8), XlsxColumn.Text("Label", 25), XlsxColumn.Date("Day", 12)]);
            for (var i = 1; i <= 11; i++) writer.WriteRow([i, $"row {i}", new DateOnly(2026, 1, i)]);
            writer.BeginSheet("Summary", [XlsxColumn.Text("Total", 10)]);
            writer.WriteRow(["11"]);
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
        // The rows continue in order across the parts.
        var numbers = parts.SelectMany(p => p.Rows.Skip(1)).Select(row => row[0].Value.GetInt32());
        Assert.Equal(Enumerable.Range(1, 11), numbers);
        Assert.Equal("2026-01-11T00:00:00", parts[2][4, 3].Text);

        Assert.Equal(
            ["'Consumptions'!$A$1:$C$5", "'Consumptions (2)'!$A$1:$C$5", "'Consumptions (3)'!$A$1:$C$4", "'Summary'!$A$1:$A$2"],
            book.DefinedNames.Select(d => d.Value));
        Assert.Equal([0, 1, 2, 3], book.DefinedNames.Select(d => d.LocalSheetId ?? -1));
    }

    [Fact]
    public void A_sheet_exactly_at_the_row_limit_does_not_start_an_empty_continuation()
    {
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Consumptions", [XlsxColumn.Integer("Number", 8)]);
            for (var i = 1; i <= 4; i++) writer.WriteRow([i]);
        }, maxRowsPerSheet: 5);

        Assert.Equal(["Consumptions"], Openpyxl.Describe(xlsx).Sheets.Select(s => s.Name));
    }

    [Fact]
    public void The_default_row_limit_is_excels()
    {
        using var writer = new XlsxStreamWriter(new ForwardOnlyStream());
        Assert.Equal(1_048_576, XlsxStreamWriter.ExcelMaxRowsPerSheet);
        Assert.Equal(1_048_576, writer.MaxRowsPerSheet);
    }

    [Fact]
    public void Sheet_names_are_made_valid_and_unique_for_excel()
    {
        XlsxColumn[] columns = [XlsxColumn.Text("A", 5)];
        var names = new List<string>();
        var xlsx = Write(writer =>
        {
            foreach (var name in new[]
                     {
                         "Jan/Feb [2026]: a*b?c\\d", "Report", "report", "'Quoted'", "   ",
                         "A very long sheet name that Excel would refuse", "A very long sheet name that Excel would refuse",
                     })
            {
                writer.BeginSheet(name, columns);
            }
            names.AddRange(writer.SheetNames);
        }, maxRowsPerSheet: 2);

        string[] expected =
        [
            "Jan_Feb _2026__ a_b_c_d", "Report", "report (2)", "Quoted", "Sheet",
            "A very long sheet name that Exc", "A very long sheet name that (2)",
        ];
        Assert.Equal(expected, names);
        Assert.Equal(expected, Openpyxl.Describe(xlsx).Sheets.Select(s => s.Name));
        Assert.All(names, name => Assert.True(name.Length <= 31, name));
    }

    [Fact]
    public void A_continuation_of_a_31_character_sheet_name_stays_within_31_characters()
    {
        var xlsx = Write(writer =>
        {
            writer.BeginSheet(new string('C', 31), [XlsxColumn.Integer("N", 5)]);
            for (var i = 0; i < 3; i++) writer.WriteRow([i]);
        }, maxRowsPerSheet: 2);

        Assert.Equal([new string('C', 31), new string('C', 27) + " (2)", new string('C', 27) + " (3)"],
            Openpyxl.Describe(xlsx).Sheets.Select(s => s.Name));
    }

    [Fact]
    public async Task Writes_asynchronously_to_a_forward_only_output_that_refuses_synchronous_writes()
    {
        // Like an ASP.NET Core response body: no Seek/Position/Length and no synchronous Write.
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        var cells = new XlsxCell[3];
        await using (var writer = new XlsxStreamWriter(output, leaveOpen: true))
        {
            writer.BeginSheet("Consumptions", [XlsxColumn.Integer("Number", 8), XlsxColumn.Text("Label", 25), XlsxColumn.DateTime("At", 17)]);
            for (var i = 1; i <= 20_000; i++)
            {
                cells[0] = i;
                cells[1] = $"row {i}";
                cells[2] = new DateTime(2026, 11, 22, 8, 0, 0).AddMinutes(i);
                await writer.WriteRowAsync(cells);
                // Bytes reach the output while rows are written, not all at the end.
                if (i == 10_000) Assert.True(output.BytesReceived > 0, "nothing passed on after 10,000 rows");
            }
            await writer.CompleteAsync();
        }

        var sheet = Openpyxl.Describe(output.Received, maxRowsPerSheet: 3).Sheets.Single();
        Assert.Equal(20_001, sheet.MaxRow);
        Assert.Equal("A1:C20001", sheet.AutoFilter);
        Assert.Equal("2026-11-22T08:02:00", sheet[3, 3].Text);
    }

    [Fact]
    public void Disposing_closes_the_output_unless_asked_to_leave_it_open()
    {
        var closed = new ForwardOnlyStream();
        using (var writer = new XlsxStreamWriter(closed)) writer.Complete();
        var open = new ForwardOnlyStream();
        using (var writer = new XlsxStreamWriter(open, leaveOpen: true)) writer.Complete();

        Assert.True(closed.Disposed);
        Assert.False(open.Disposed);
    }

    [Fact]
    public void A_workbook_disposed_without_Complete_is_not_a_valid_file()
    {
        // An export that fails half-way must not look like a complete (short) report.
        var output = new ForwardOnlyStream();
        using (var writer = new XlsxStreamWriter(output, leaveOpen: true))
        {
            writer.BeginSheet("Consumptions", [XlsxColumn.Integer("Number", 8)]);
            for (var i = 0; i < 50_000; i++) writer.WriteRow([i]);
        }

        Assert.True(output.BytesReceived > 0);
        Assert.Throws<InvalidDataException>(() => new ZipArchive(new MemoryStream(output.Received), ZipArchiveMode.Read));
        Assert.NotNull(Openpyxl.OpenError(output.Received));
    }

    [Fact]
    public void A_workbook_without_sheets_gets_one_empty_sheet()
    {
        var book = Openpyxl.Describe(Write(_ => { }));

        Assert.Equal("Sheet1", book.Sheets.Single().Name);
    }

    [Fact]
    public void A_cell_that_does_not_fit_its_column_is_refused_before_the_row_is_written()
    {
        var xlsx = Write(writer =>
        {
            writer.BeginSheet("Consumptions", [XlsxColumn.Integer("Credits", 8), XlsxColumn.Date("Day", 12), XlsxColumn.Text("List", 12)]);
            var wrongKind = Assert.Throws<ArgumentException>(() => writer.WriteRow([1, new DateOnly(2026, 1, 1), 5]));
            Assert.Contains("\"List\"", wrongKind.Message);
            Assert.Throws<ArgumentException>(() => writer.WriteRow(["1"]));
            Assert.Throws<ArgumentException>(() => writer.WriteRow([1, new DateOnly(2026, 1, 1), "x", "one too many"]));
            Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteRow([1, new DateOnly(1900, 2, 28)]));
            writer.WriteRow([2, new DateOnly(1900, 3, 1), "ok"]);
        });

        var sheet = Openpyxl.Describe(xlsx).Sheets.Single();
        Assert.Equal(2, sheet.MaxRow);
        Assert.Equal(2, sheet[2, 1].Value.GetInt32());
        Assert.Equal("1900-03-01T00:00:00", sheet[2, 2].Text);
    }

    [Fact]
    public void Rows_need_a_sheet_and_nothing_can_be_written_after_Complete()
    {
        using var writer = new XlsxStreamWriter(new ForwardOnlyStream());
        Assert.Throws<InvalidOperationException>(() => writer.WriteRow([1]));
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => writer.BeginSheet("More", [XlsxColumn.Text("A")]));
    }

    [Theory]
    [InlineData(1, "A")]
    [InlineData(26, "Z")]
    [InlineData(27, "AA")]
    [InlineData(702, "ZZ")]
    [InlineData(703, "AAA")]
    [InlineData(16_384, "XFD")]
    public void Column_letters_follow_excel(int number, string letters)
        => Assert.Equal(letters, XlsxSheetLayout.ColumnLetters(number));
}
