using System.IO.Compression;
using System.Xml;
using CreditPortal.Reports;

namespace CreditPortal.Tests.Reports.Excel;

/// <summary>Retained memory is measured process-wide and the row-limit test is long, so nothing else runs meanwhile.</summary>
[CollectionDefinition(nameof(ReportSpreadsheetMemoryTests), DisableParallelization = true)]
public sealed class ReportSpreadsheetMemoryCollection;

[Collection(nameof(ReportSpreadsheetMemoryTests))]
public sealed class ReportSpreadsheetMemoryTests
{
    private static readonly SheetColumn[] Columns =
    [
        SheetColumn.DateTime("At", 17, "yyyy-mm-dd hh:mm"), SheetColumn.Text("List", 20), SheetColumn.Text("Reference", 20),
        SheetColumn.Integer("Messages", 10, "#,##0"), SheetColumn.Integer("Credits", 10, "#,##0"), SheetColumn.Text("Channel", 9),
    ];

    [Fact]
    public async Task Memory_held_while_writing_does_not_grow_with_the_rows()
    {
        // What matters for a large export is what stays reachable while it runs (a workbook kept in memory holds
        // every cell). Retained memory after 50,000 rows and again after 200,000: a writer that kept anything per
        // row would hold tens of MB more at the second point.
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true, keepBytes: false);
        await using var book = await ReportSpreadsheet.CreateAsync(output, ReportSpreadsheet.ExcelMaxRowsPerSheet, default);
        await book.BeginSheetAsync("Consumptions", Columns, 200_000, default);
        var start = new DateTime(2026, 1, 1);

        async Task WriteRowsAsync(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                book.DateTime(0, start.AddMinutes(i));
                book.Text(1, "List " + (i % 50));
                book.Text(2, "Campaign " + i);
                book.Integer(3, i % 1000);
                book.Integer(4, i % 1000 * 2);
                book.Text(5, "Email");
                await book.WriteRowAsync(default);
            }
        }

        await WriteRowsAsync(0, 50_000);
        var afterFirst = RetainedBytes();
        await WriteRowsAsync(50_000, 200_000);
        var afterAll = RetainedBytes();
        await book.CompleteAsync(default);

        Assert.True(afterAll - afterFirst < 2 * 1024 * 1024,
            $"retained memory grew by {(afterAll - afterFirst) / 1024} KiB ({(afterAll - afterFirst) / 150_000.0:F1} bytes a row) over 150,000 rows");
        Assert.True(output.BytesReceived > 200_000 * 6, $"only {output.BytesReceived} bytes written");
        // What the archive writes synchronously (headers, not rows) waits for the output only in small amounts.
        Assert.InRange(book.LargestPendingBytes, 1, 4 * 1024);
    }

    [Fact]
    public async Task At_excels_row_limit_the_sheet_continues_on_a_second_sheet()
    {
        // 1,048,576 data rows: one more than fits beside the header. openpyxl needs minutes for a million rows, so
        // the parts are read with System.Xml; the split itself is checked with openpyxl on a small limit.
        const int dataRows = ReportSpreadsheet.ExcelMaxRowsPerSheet;
        var output = new ForwardOnlyStream(refuseSynchronousWrites: true);
        await using (var book = await ReportSpreadsheet.CreateAsync(output, ReportSpreadsheet.ExcelMaxRowsPerSheet, default))
        {
            await book.BeginSheetAsync("Consumptions", [SheetColumn.Integer("Number", 10, "0")], dataRows, default);
            for (var i = 1; i <= dataRows; i++)
            {
                book.Integer(0, i);
                await book.WriteRowAsync(default);
            }
            await book.CompleteAsync(default);
            Assert.Equal(["Consumptions", "Consumptions (2)"], book.SheetNames);
        }

        using var zip = new ZipArchive(new MemoryStream(output.Received), ZipArchiveMode.Read);
        var first = ReadSheet(zip, "xl/worksheets/sheet1.xml");
        var second = ReadSheet(zip, "xl/worksheets/sheet2.xml");

        Assert.Equal((1_048_576, "1048575", "A1:A1048576"), (first.Rows, first.LastValue, first.AutoFilter));
        Assert.Equal((2, "1048576", "A1:A2", "Number"), (second.Rows, second.LastValue, second.AutoFilter, second.FirstText));
    }

    private static (int Rows, string? LastValue, string? AutoFilter, string? FirstText) ReadSheet(ZipArchive zip, string entry)
    {
        using var reader = XmlReader.Create(zip.GetEntry(entry)!.Open());
        int rows = 0;
        string? lastValue = null, autoFilter = null, firstText = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "row":
                    rows++;
                    break;
                case "v":
                    lastValue = reader.ReadElementContentAsString();
                    break;
                case "t" when firstText is null:
                    firstText = reader.ReadElementContentAsString();
                    break;
                case "autoFilter":
                    autoFilter = reader.GetAttribute("ref");
                    break;
            }
        }
        return (rows, lastValue, autoFilter, firstText);
    }

    private static long RetainedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
