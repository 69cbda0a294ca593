using System.IO.Compression;
using System.Xml;
using CreditPortal.Reports.Excel;

namespace CreditPortal.Tests.Reports.Excel;

/// <summary>
/// The split at Excel's real limit, with 1,048,576 data rows (about 5 s here). openpyxl needs minutes
/// for a million rows, so the parts are read with System.Xml; the split itself is checked with openpyxl
/// in <see cref="XlsxStreamWriterTests"/> using a small limit. Runs alone so its time stays predictable.
/// </summary>
[Collection(nameof(XlsxStreamWriterMemoryTests))]
public sealed class XlsxStreamWriterRowLimitTests
{
    [Fact]
    public void At_excels_row_limit_the_sheet_continues_on_a_second_sheet()
    {
        const int dataRows = XlsxStreamWriter.ExcelMaxRowsPerSheet; // one more than fits beside the header
        var output = new ForwardOnlyStream();
        using (var writer = new XlsxStreamWriter(output, leaveOpen: true))
        {
            writer.BeginSheet("Consumptions", [XlsxColumn.Integer("Number", 10)]);
            for (var i = 1; i <= dataRows; i++) writer.WriteRow([i]);
            writer.Complete();
            Assert.Equal(["Consumptions", "Consumptions (2)"], writer.SheetNames);
        }

        using var zip = new ZipArchive(new MemoryStream(output.Received), ZipArchiveMode.Read);
        var first = ReadSheet(zip, "xl/worksheets/sheet1.xml");
        var second = ReadSheet(zip, "xl/worksheets/sheet2.xml");

        Assert.Equal((1_048_576, "1048576", "1048575", "A1:A1048576"), (first.Rows, first.LastRow, first.LastValue, first.AutoFilter));
        Assert.Equal((2, "2", "1048576", "A1:A2"), (second.Rows, second.LastRow, second.LastValue, second.AutoFilter));
        Assert.Equal("Number", second.FirstText);
    }

    private static (int Rows, string? LastRow, string? LastValue, string? AutoFilter, string? FirstText) ReadSheet(ZipArchive zip, string entry)
    {
        using var reader = XmlReader.Create(zip.GetEntry(entry)!.Open());
        int rows = 0;
        string? lastRow = null, lastValue = null, autoFilter = null, firstText = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "row":
                    rows++;
                    lastRow = reader.GetAttribute("r");
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
        return (rows, lastRow, lastValue, autoFilter, firstText);
    }
}
