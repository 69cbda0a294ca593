using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CreditPortal.Data;
using CreditPortal.Reports;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Data.Sqlite;
using SpreadCheetah;
using Cell = SpreadCheetah.Cell;
using XmlCell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using SpreadCheetah.Styling;

namespace CreditPortal.Benchmarks.Reports;

/// <summary>
/// Exports every consumption of the seeded account (two years) to .xlsx, one writer per process:
/// <c>portal</c> is the real export (ReportExport: the whole four-sheet workbook); the others write only the same
/// consumption rows with a library and nothing of ours in between: <c>bare</c> with the Open XML SDK's OpenXmlWriter
/// into a zip entry (the fastest use of that SDK there is), <c>spreadcheetah</c> with SpreadCheetah, <c>closedxml</c>
/// with ClosedXML 0.95.4 (which builds the whole workbook in memory before saving it, so it stops adding rows
/// before the process passes <c>--memory-limit-mib</c> and reports how far it got). All of them read the same rows
/// with the same SQL, convert the same instants to the account's zone and write the same cells (text, numbers,
/// date serials with the same formats) with the fastest compression into an output that only counts bytes.
/// <c>read</c> reads and converts the rows and writes nothing: what every writer pays before writing a byte.
/// </summary>
public static class BenchExport
{
    private static readonly string[] Headers = ["Id", "Requested at", "Decided at", "List", "List id", "Channel", "Country", "Messages",
        "Credits per message", "Credits", "Credits drawn", "Status", "Reason", "Reference"];

    public static async Task RunAsync(BenchOptions o)
    {
        var accountId = await BenchReports.AccountIdAsync(o);
        var range = new ReportRange(BenchSeed.LastDay.AddDays(1 - o.Days), BenchSeed.LastDay, ReportGrouping.Month);
        var output = new CountingStream();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long rows;
        switch (o.Writer)
        {
            case "portal":
                var result = await new ReportExport(new PortalDatabase(o.ConnectionString)).WriteXlsxAsync(output, accountId, range);
                rows = result.RowsWritten;
                Figures.Print("export_sheets", string.Join(", ", result.SheetNames));
                break;
            case "bare":
                rows = await OpenXmlWriterAsync(o, accountId, range, output);
                break;
            case "spreadcheetah":
                rows = await SpreadCheetahAsync(o, accountId, range, output);
                break;
            case "closedxml":
                rows = ClosedXml(o, accountId, range, output);
                break;
            case "read":
                rows = 0;
                await using (var source = await ConsumptionRows.OpenAsync(o, accountId, range))
                {
                    foreach (var row in source.Read()) rows += row.Id > 0 ? 1 : 0;
                }
                break;
            default:
                throw new ArgumentException("--writer portal|bare|spreadcheetah|closedxml|read");
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

    private static async Task<long> OpenXmlWriterAsync(BenchOptions o, long accountId, ReportRange range, Stream output)
    {
        await using var source = await ConsumptionRows.OpenAsync(o, accountId, range);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        long rows = 0;
        await using (var part = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open())
        using (var writer = OpenXmlWriter.Create(part))
        {
            var sheet = new SheetWriter(writer);
            writer.WriteStartDocument(true);
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            sheet.Header(Headers);
            foreach (var row in source.Read())
            {
                sheet.StartRow();
                sheet.Number(row.Id, SheetWriter.IdStyle);
                sheet.Date(row.RequestedAt);
                sheet.Date(row.DecidedAt);
                sheet.Text(row.ListName);
                sheet.Number(row.ListId, SheetWriter.IdStyle);
                sheet.Text(row.Channel);
                sheet.Text(row.Country);
                sheet.Number(row.Messages, SheetWriter.CountStyle);
                sheet.Number(row.CreditsPerMessage, SheetWriter.CountStyle);
                sheet.Number(row.Credits, SheetWriter.CountStyle);
                sheet.Number(row.CreditsDrawn, SheetWriter.CountStyle);
                sheet.Text(row.Status);
                sheet.Text(row.Reason);
                sheet.Text(row.Reference);
                writer.WriteEndElement();
                rows++;
            }
            writer.WriteEndElement(); // sheetData
            writer.WriteEndElement(); // worksheet
            writer.Close();
        }
        WriteSmallParts(zip);
        return rows;
    }

    /// <summary>SpreadCheetah as its documentation uses it: styles added once, a reused array of cells per row.</summary>
    private static async Task<long> SpreadCheetahAsync(BenchOptions o, long accountId, ReportRange range, Stream output)
    {
        await using var source = await ConsumptionRows.OpenAsync(o, accountId, range);
        await using var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { CompressionLevel = SpreadCheetahCompressionLevel.Fastest });
        await book.StartWorksheetAsync("Consumptions");
        var bold = book.AddStyle(new Style { Font = { Bold = true } });
        var id = book.AddStyle(new Style { Format = NumberFormat.Custom("0") });
        var count = book.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.ThousandsSeparator) });
        var date = book.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd hh:mm:ss") });
        await book.AddHeaderRowAsync(Headers, bold);
        var cells = new Cell[Headers.Length];
        long rows = 0;
        foreach (var row in source.Read())
        {
            cells[0] = new Cell(row.Id, id);
            cells[1] = new Cell(row.RequestedAt, date);
            cells[2] = new Cell(row.DecidedAt, date);
            cells[3] = new Cell(row.ListName);
            cells[4] = new Cell(row.ListId, id);
            cells[5] = new Cell(row.Channel);
            cells[6] = new Cell(row.Country);
            cells[7] = new Cell(row.Messages, count);
            cells[8] = new Cell(row.CreditsPerMessage, count);
            cells[9] = new Cell(row.Credits, count);
            cells[10] = new Cell(row.CreditsDrawn, count);
            cells[11] = new Cell(row.Status);
            cells[12] = new Cell(row.Reason);
            cells[13] = new Cell(row.Reference);
            await book.AddRowAsync(cells);
            rows++;
        }
        await book.FinishAsync();
        return rows;
    }

    /// <summary>
    /// ClosedXML 0.95.4 (the only version served here): every cell is an object in memory until SaveAs writes the file.
    /// Column formats are set once per column (per-cell styles would cost even more). Rows stop being added once the
    /// process's resident memory passes <see cref="BenchOptions.MemoryLimitMib"/> less the room the save needs, so a
    /// shared machine survives it; the figures then say how many rows it reached.
    /// </summary>
    private static long ClosedXml(BenchOptions o, long accountId, ReportRange range, Stream output)
    {
        using var source = ConsumptionRows.OpenAsync(o, accountId, range).AsTask().GetAwaiter().GetResult();
        using var book = new ClosedXML.Excel.XLWorkbook();
        var sheet = book.AddWorksheet("Consumptions");
        for (var c = 0; c < Headers.Length; c++) sheet.Cell(1, c + 1).SetValue(Headers[c]);
        sheet.Row(1).Style.Font.Bold = true;
        foreach (var c in new[] { 1, 5 }) sheet.Column(c).Style.NumberFormat.Format = "0";
        foreach (var c in new[] { 2, 3 }) sheet.Column(c).Style.NumberFormat.Format = "yyyy-mm-dd hh:mm:ss";
        foreach (var c in new[] { 8, 9, 10, 11 }) sheet.Column(c).Style.NumberFormat.NumberFormatId = 3;
        var fillLimit = (long)o.MemoryLimitMib * 1024 * 1024 * o.ClosedXmlFillShare / 100;
        long rows = 0;
        var stoppedAtLimit = false;
        foreach (var row in source.Read())
        {
            var r = (int)rows + 2;
            sheet.Cell(r, 1).SetValue(row.Id);
            sheet.Cell(r, 2).SetValue(row.RequestedAt);
            sheet.Cell(r, 3).SetValue(row.DecidedAt);
            sheet.Cell(r, 4).SetValue(row.ListName);
            sheet.Cell(r, 5).SetValue(row.ListId);
            sheet.Cell(r, 6).SetValue(row.Channel);
            if (row.Country is not null) sheet.Cell(r, 7).SetValue(row.Country);
            sheet.Cell(r, 8).SetValue(row.Messages);
            sheet.Cell(r, 9).SetValue(row.CreditsPerMessage);
            sheet.Cell(r, 10).SetValue(row.Credits);
            sheet.Cell(r, 11).SetValue(row.CreditsDrawn);
            sheet.Cell(r, 12).SetValue(row.Status);
            if (row.Reason is not null) sheet.Cell(r, 13).SetValue(row.Reason);
            if (row.Reference is not null) sheet.Cell(r, 14).SetValue(row.Reference);
            rows++;
            if (rows % 10_000 == 0 && Environment.WorkingSet > fillLimit)
            {
                stoppedAtLimit = true;
                break;
            }
        }
        Figures.Print("closedxml_rows_in_memory", rows, "rows");
        Figures.Print("closedxml_rss_before_save", Environment.WorkingSet / 1024.0 / 1024.0, "MiB");
        Figures.Print("closedxml_stopped_at_memory_limit", stoppedAtLimit ? "yes" : "no");
        // SaveAs needs a seekable stream (it is a System.IO.Packaging package): a temporary file, counted afterwards.
        var file = Path.Combine(Path.GetTempPath(), $"creditportal-bench-closedxml-{Environment.ProcessId}.xlsx");
        try
        {
            book.SaveAs(file);
            using var written = File.OpenRead(file);
            written.CopyTo(output);
        }
        finally
        {
            File.Delete(file);
        }
        return rows;
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
        private readonly XmlCell _cell = new();
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

        public void Date(DateTime? local)
        {
            if (local is { } value) Value(value.ToOADate().ToString("R", CultureInfo.InvariantCulture), DateStyle);
            else _column++;
        }

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

/// <summary>One consumption as every writer gets it: instants already in the account's wall-clock time.</summary>
public readonly record struct BenchRow(long Id, DateTime RequestedAt, DateTime? DecidedAt, string ListName, long ListId, string Channel, string? Country,
    long Messages, long CreditsPerMessage, long Credits, long CreditsDrawn, string Status, string? Reason, string? Reference);

/// <summary>The consumption rows of the range in decision order, read with the export's SQL in one read transaction.</summary>
public sealed class ConsumptionRows : IAsyncDisposable, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly TimeZoneInfo _zone;
    private readonly Dictionary<long, string> _names;
    private readonly long _accountId;
    private readonly long _start;
    private readonly long _end;
    private readonly long _limit;

    private ConsumptionRows(SqliteConnection connection, SqliteTransaction transaction, TimeZoneInfo zone, Dictionary<long, string> names, long accountId,
        long start, long end, long limit)
    {
        (_connection, _transaction, _zone, _names, _accountId, _start, _end, _limit) = (connection, transaction, zone, names, accountId, start, end, limit);
    }

    public static async ValueTask<ConsumptionRows> OpenAsync(BenchOptions o, long accountId, ReportRange range)
    {
        var connection = new SqliteConnection(o.ConnectionString);
        await connection.OpenAsync();
        var transaction = connection.BeginTransaction(deferred: true);
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
        return new ConsumptionRows(connection, transaction, zone, names, accountId, calendar.StartOfDay(range.From).UtcTicks,
            calendar.StartOfDay(range.To.AddDays(1)).UtcTicks, o.Rows > 0 ? o.Rows : -1);
    }

    public IEnumerable<BenchRow> Read()
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = """
            SELECT c.Id, c.RequestedAt, c.DecidedAt, c.ListId, c.Channel, c.Country, c.Quantity, c.CreditsPerMessage, c.Credits, c.Status,
              c.Reason, c.Reference, c.Unmetered
            FROM Consumptions c INDEXED BY IX_Consumptions_Report_DecidedAt
            WHERE c.AccountId = $a AND c.DecidedAt >= $s AND c.DecidedAt < $e
            ORDER BY c.DecidedAt, c.ListId, c.Channel, c.Status, c.Id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$a", _accountId);
        command.Parameters.AddWithValue("$s", _start);
        command.Parameters.AddWithValue("$e", _end);
        command.Parameters.AddWithValue("$limit", _limit);
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            var status = r.GetString(9);
            var credits = r.GetInt64(8);
            yield return new BenchRow(r.GetInt64(0), Local(r.GetInt64(1)), r.IsDBNull(2) ? null : Local(r.GetInt64(2)), _names[r.GetInt64(3)],
                r.GetInt64(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6), r.GetInt64(7), credits,
                status == "Accepted" && r.GetInt64(12) == 0 ? credits : 0, status, r.IsDBNull(10) ? null : r.GetString(10),
                r.IsDBNull(11) ? null : r.GetString(11));
        }
    }

    private DateTime Local(long utcTicks) => TimeZoneInfo.ConvertTimeFromUtc(new DateTime(utcTicks, DateTimeKind.Utc), _zone);

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
