using CreditPortal.Reports.Excel;

namespace CreditPortal.Tests.Reports.Excel;

/// <summary>Retained memory is measured process-wide, so nothing else may run meanwhile.</summary>
[CollectionDefinition(nameof(XlsxStreamWriterMemoryTests), DisableParallelization = true)]
public sealed class XlsxMemoryCollection;

[Collection(nameof(XlsxStreamWriterMemoryTests))]
public sealed class XlsxStreamWriterMemoryTests
{
    [Fact]
    public void Memory_held_while_writing_does_not_grow_with_the_rows()
    {
        // What matters for a large export is what stays reachable while it runs (the SDK's SpreadsheetDocument
        // keeps every row: ~650 bytes a row). Measure retained memory after 50,000 rows and again after
        // 200,000: a writer that kept anything per row would hold tens of MB more at the second point.
        var output = new ForwardOnlyStream(keepBytes: false);
        using var writer = new XlsxStreamWriter(output, leaveOpen: true);
        writer.BeginSheet("Consumptions",
        [
            XlsxColumn.Date("Day"), XlsxColumn.Text("List"), XlsxColumn.Text("Campaign"), XlsxColumn.Integer("Messages"),
            XlsxColumn.Integer("Credits"), XlsxColumn.Text("Channel"), XlsxColumn.Decimal("Amount"),
        ]);
        var day = new DateTime(2026, 1, 1);

        void WriteRows(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                writer.WriteRow([day.AddMinutes(i), "List " + (i % 50), "Campaign " + i, i % 1000, i % 1000 * 2, "email", i / 100m]);
            }
        }

        WriteRows(0, 50_000);
        var afterFirst = RetainedBytes();
        WriteRows(50_000, 200_000);
        var afterAll = RetainedBytes();
        writer.Complete();

        var grownPerRow = (afterAll - afterFirst) / 150_000.0;
        Assert.True(afterAll - afterFirst < 2 * 1024 * 1024,
            $"retained memory grew by {(afterAll - afterFirst) / 1024} KiB ({grownPerRow:F1} bytes a row) over 150,000 rows");
        // The buffer between the archive and the output stays near its threshold.
        Assert.True(writer.PendingCapacity <= 4 * XlsxStreamWriter.DrainThresholdBytes, $"pending buffer grew to {writer.PendingCapacity} bytes");
        // And the rows really went out: well over a byte a cell.
        Assert.True(output.BytesReceived > 200_000 * 7, $"only {output.BytesReceived} bytes written");
    }

    private static long RetainedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
