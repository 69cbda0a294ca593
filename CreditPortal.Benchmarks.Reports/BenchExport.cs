using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CreditPortal.Data;
using CreditPortal.Reports;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Benchmarks.Reports;

/// <summary>
/// Exports every consumption of the seeded account (two years) to .xlsx, one writer per process:
/// <c>portal</c> is the real export (ReportExport: the whole four-sheet workbook through XlsxStreamWriter), <c>bare</c>
/// writes the same consumption rows straight with the Open XML SDK's OpenXmlWriter into a zip entry, the fastest
/// use of that SDK there is, with nothing of ours in between. Both read the same rows with the same SQL, convert
/// the same instants to the account's zone and write the same cells (inline strings, numbers, date serials with
/// styles) with the same compression into an output that only counts bytes.
/// </summary>
public static class BenchExport
{
    public static async Task RunAsync(BenchOptions o)
    {
        var accountId = await BenchReports.AccountIdAsync(o);
        var range = new ReportRange(BenchSeed.LastDay.AddDays(1 - o.Days), BenchSeed.LastDay, ReportGrouping.Month);
        var output = new CountingStream();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long rows;
        if (o.Writer == "portal")
        {
            var result = await new ReportExport(new PortalDatabase(o.ConnectionString)).WriteXlsxAsync(output, accountId, range);
            rows = result.RowsWritten;
            Figures.Print("export_sheets", string.Join(", ", result.SheetNames));
        }
        else if (o.Writer == "bare")
        {
            rows = await BareAsync(o, accountId, range, output, write: true);
        }
        else if (o.Writer == "read")
        {
            // The rows read and converted, nothing written: what both writers pay before writing a byte.
            rows = await BareAsync(o, accountId, range, output, write: false);
        }
        else
        {
            throw new ArgumentException("--writer portal|bare|read");
        }
        watch.Stop();
        Figures.Print("export_writer", o.Writer);
        Figures.Print("export_time", watch.Elapsed.TotalSeconds, "s");
        Figures.Print("export_cpu", (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, "s");
        Figures.Print("export_rows", rows, "rows");
        Figures.Print("export_bytes", output.Bytes / 1024.0 / 1024.0, "MiB");
        Figures.Print("export_allocated", (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / 1024.0, "MiB");
        Figures.Print("export_peak_rss", Figures.PeakRssBytes() / 1024.0 / 1024.0, "MiB");
    }

    private static async Task<long> BareAsync(BenchOptions o, long accountId, ReportRange range, Stream output, bool write)
    {
        await using var connection = new SqliteConnection(o.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: true);
        string zoneId;
        var names = new Dictionary<long, string>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT TimeZoneId FROM Accounts WHERE Id = $a; SELECT Id, Name FROM Lists WHERE AccountId = $a;";
            command.Parameters.AddWithValue("$a", accountId);
            await using var r = await command.ExecuteReaderAsync();
            await r.ReadAsync();
            zoneId = r.GetString(0);
            await r.NextResultAsync();
            while (await r.ReadAsync()) names[r.GetInt64(0)] = r.GetString(1);
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var calendar = new CreditPortal.Clock.AccountCalendar(zone);

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        long rows = 0;
        await using (var part = write ? zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open() : Stream.Null)
        using (var writer = OpenXmlWriter.Create(part))
        {
            var sheet = new SheetWriter(writer);
            writer.WriteStartDocument(true);
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            sheet.Header(["Id", "Requested at", "Decided at", "List", "List id", "Channel", "Country", "Messages", "Credits per message", "Credits",
                "Credits drawn", "Status", "Reason", "Reference"]);

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                SELECT c.Id, c.RequestedAt, c.DecidedAt, c.ListId, c.Channel, c.Country, c.Quantity, c.CreditsPerMessage, c.Credits, c.Status,
                  c.Reason, c.Reference, c.Unmetered
                FROM Consumptions c INDEXED BY IX_Consumptions_Report_DecidedAt
                WHERE c.AccountId = $a AND c.DecidedAt >= $s AND c.DecidedAt < $e ORDER BY c.DecidedAt, c.Id
                """;
            command.Parameters.AddWithValue("$a", accountId);
            command.Parameters.AddWithValue("$s", calendar.StartOfDay(range.From).UtcTicks);
            command.Parameters.AddWithValue("$e", calendar.StartOfDay(range.To.AddDays(1)).UtcTicks);
            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var listId = r.GetInt64(3);
                if (!write)
                {
                    Read(r, zone, names);
                    rows++;
                    continue;
                }
                var status = r.GetString(9);
                var credits = r.GetInt64(8);
                sheet.StartRow();
                sheet.Number(r.GetInt64(0), SheetWriter.IdStyle);
                sheet.Date(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(r.GetInt64(1), DateTimeKind.Utc), zone));
                sheet.Date(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(r.GetInt64(2), DateTimeKind.Utc), zone));
                sheet.Text(names[listId]);
                sheet.Number(listId, SheetWriter.IdStyle);
                sheet.Text(r.GetString(4));
                sheet.Text(r.IsDBNull(5) ? null : r.GetString(5));
                sheet.Number(r.GetInt64(6), SheetWriter.CountStyle);
                sheet.Number(r.GetInt64(7), SheetWriter.CountStyle);
                sheet.Number(credits, SheetWriter.CountStyle);
                sheet.Number(status == "Accepted" && r.GetInt64(12) == 0 ? credits : 0, SheetWriter.CountStyle);
                sheet.Text(status);
                sheet.Text(r.IsDBNull(10) ? null : r.GetString(10));
                sheet.Text(r.IsDBNull(11) ? null : r.GetString(11));
                writer.WriteEndElement();
                rows++;
            }
            writer.WriteEndElement(); // sheetData
            writer.WriteEndElement(); // worksheet
            writer.Close();
        }
        if (write) WriteSmallParts(zip);
        return rows;
    }

    /// <summary>Reads every column and converts the instants, exactly as both writers do, and throws the values away.</summary>
    private static void Read(SqliteDataReader r, TimeZoneInfo zone, Dictionary<long, string> names)
    {
        GC.KeepAlive(names[r.GetInt64(3)]);
        GC.KeepAlive(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(r.GetInt64(1), DateTimeKind.Utc), zone).ToOADate());
        GC.KeepAlive(TimeZoneInfo.ConvertTimeFromUtc(new DateTime(r.GetInt64(2), DateTimeKind.Utc), zone).ToOADate());
        GC.KeepAlive(r.GetString(4));
        GC.KeepAlive(r.IsDBNull(5) ? null : r.GetString(5));
        GC.KeepAlive(r.GetInt64(0) + r.GetInt64(6) + r.GetInt64(7) + r.GetInt64(8) + r.GetInt64(12));
        GC.KeepAlive(r.GetString(9));
        GC.KeepAlive(r.IsDBNull(10) ? null : r.GetString(10));
        GC.KeepAlive(r.IsDBNull(11) ? null : r.GetString(11));
    }

    /// <summary>The workbook, styles (the same number formats), relationships and content types: a few hundred bytes.</summary>
    private static void WriteSmallParts(ZipArchive zip)
    {
        const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        Part(zip, "xl/workbook.xml", $"""<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Consumptions" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Part(zip, "xl/styles.xml", $"""
            <styleSheet xmlns="{main}"><numFmts count="2"><numFmt numFmtId="164" formatCode="0"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
            <borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>
            <cellXfs count="5"><xf/><xf fontId="1" applyFont="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="3" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>
            """);
        Part(zip, "xl/_rels/workbook.xml.rels", $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>""");
        Part(zip, "_rels/.rels", $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part(zip, "[Content_Types].xml", """<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>""");
    }

    private static void Part(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + xml));
    }

    /// <summary>OpenXmlWriter used the efficient way: one reused element object per kind, attributes in a reused list.</summary>
    private sealed class SheetWriter(OpenXmlWriter writer)
    {
        public const string IdStyle = "2";
        public const string CountStyle = "3";
        private const string DateStyle = "4";
        private static readonly string[] Letters = Enumerable.Range(0, 14).Select(i => ((char)('A' + i)).ToString()).ToArray();

        private readonly Row _row = new();
        private readonly Cell _cell = new();
        private readonly CellValue _value = new();
        private readonly InlineString _inline = new();
        private readonly Text _text = new();
        private readonly List<OpenXmlAttribute> _attributes = new(3);
        private int _rowNumber;
        private string _rowText = "";
        private int _column;

        public void Header(string[] titles)
        {
            StartRow();
            foreach (var title in titles) Text(title, "1");
            writer.WriteEndElement();
        }

        public void StartRow()
        {
            _rowText = (++_rowNumber).ToString(CultureInfo.InvariantCulture);
            _column = 0;
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", string.Empty, _rowText));
            writer.WriteStartElement(_row, _attributes);
        }

        public void Number(long value, string style) => Value(value.ToString(CultureInfo.InvariantCulture), style);

        public void Date(DateTime local) => Value(local.ToOADate().ToString("R", CultureInfo.InvariantCulture), DateStyle);

        public void Text(string? value, string? style = null)
        {
            var column = _column++;
            if (value is null) return;
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", string.Empty, Letters[column] + _rowText));
            if (style is not null) _attributes.Add(new OpenXmlAttribute("s", string.Empty, style));
            _attributes.Add(new OpenXmlAttribute("t", string.Empty, "inlineStr"));
            writer.WriteStartElement(_cell, _attributes);
            writer.WriteStartElement(_inline);
            writer.WriteStartElement(_text);
            writer.WriteString(value);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        private void Value(string value, string style)
        {
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", string.Empty, Letters[_column++] + _rowText));
            _attributes.Add(new OpenXmlAttribute("s", string.Empty, style));
            writer.WriteStartElement(_cell, _attributes);
            writer.WriteStartElement(_value);
            writer.WriteString(value);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
    }

    /// <summary>A forward-only output that keeps nothing: what leaves the server is counted, not stored.</summary>
    private sealed class CountingStream : Stream
    {
        public long Bytes { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Bytes += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Bytes += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bytes += buffer.Length;
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Bytes += count;
            return Task.CompletedTask;
        }
    }
}
