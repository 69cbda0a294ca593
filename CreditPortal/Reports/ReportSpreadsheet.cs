using System.Globalization;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace CreditPortal.Reports;

/// <summary>
/// The report's sheets written with SpreadCheetah, forward-only and asynchronously into any stream (an HTTP
/// response body: no seeking, no synchronous writes), with memory that does not grow with the rows. What the
/// library leaves to us is here: every sheet gets a bold, frozen header row, an auto-filter over all its rows and
/// the column widths; a sheet that would pass Excel's row limit continues on "Consumptions (2)" with the same
/// header; text is made safe for a cell (<see cref="CellText"/>) and is always written as text, never as a formula.
/// </summary>
/// <remarks>
/// <para>SpreadCheetah writes a sheet's auto-filter range from the options the sheet starts with, so the caller says
/// up front how many rows a sheet gets (the report counts them in the same read transaction it reads them from).</para>
/// <para>Usage: <see cref="BeginSheetAsync"/>, then per row the setters (<see cref="Text"/>, <see cref="Integer"/>,
/// <see cref="Date"/>, <see cref="DateTime"/>) and <see cref="WriteRowAsync"/>, and finally <see cref="CompleteAsync"/>.
/// Disposing without completing abandons the workbook: nothing more reaches the output, so a failed export never
/// ends with the archive's closing directory and cannot pass for a complete (but short) report. Not thread-safe.</para>
/// </remarks>
internal sealed class ReportSpreadsheet : IAsyncDisposable
{
    /// <summary>Rows per worksheet in Excel, the header row included.</summary>
    public const int ExcelMaxRowsPerSheet = 1_048_576;

    private readonly OutputGate _output;
    private readonly Spreadsheet _book;
    private readonly int _maxRowsPerSheet;
    private readonly StyleId _headerStyle;
    private readonly Dictionary<string, StyleId> _formats = [];
    private readonly List<string> _sheetNames = [];

    private SheetColumn[] _columns = [];
    private string[] _headers = [];
    private StyleId?[] _styles = [];
    private Cell[] _cells = [];
    private string _sheet = "";
    private int _part;
    private long _rowsAnnounced;
    private int _rowsInPart;
    private bool _completed;

    private ReportSpreadsheet(OutputGate output, Spreadsheet book, int maxRowsPerSheet)
    {
        _output = output;
        _book = book;
        _maxRowsPerSheet = maxRowsPerSheet;
        _headerStyle = book.AddStyle(new Style { Font = { Bold = true } });
    }

    /// <param name="output">Where the .xlsx goes; only written to, asynchronously. Left open.</param>
    /// <param name="maxRowsPerSheet">Rows per sheet before a continuation sheet, the header included: Excel's limit unless a test lowers it.</param>
    public static async Task<ReportSpreadsheet> CreateAsync(Stream output, int maxRowsPerSheet, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowsPerSheet, 2);
        var gate = new OutputGate(output);
        // Fastest compression: about half the CPU of Optimal for a file about 40% larger; the server's cores are the
        // scarcer resource and someone is waiting for the download.
        var book = await Spreadsheet.CreateNewAsync(gate, new SpreadCheetahOptions { CompressionLevel = SpreadCheetahCompressionLevel.Fastest },
            cancellationToken);
        return new ReportSpreadsheet(gate, book, maxRowsPerSheet);
    }

    /// <summary>The most bytes the archive's synchronous writes ever waited for the output, for tests that check memory stays bounded.</summary>
    internal long LargestPendingBytes => _output.LargestPending;

    /// <summary>Names of the sheets begun so far, continuation sheets included, as they appear in Excel.</summary>
    public IReadOnlyList<string> SheetNames => _sheetNames;

    /// <summary>Starts a sheet of <paramref name="rows"/> data rows (they fix its auto-filter) with its header row.</summary>
    public async ValueTask BeginSheetAsync(string name, SheetColumn[] columns, long rows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        _columns = columns;
        _headers = [.. columns.Select(c => CellText.ForCell(c.Header))];
        _styles = [.. columns.Select(c => c.Format is null ? (StyleId?)null : Format(c.Format))];
        _cells = new Cell[columns.Length];
        _sheet = name;
        _part = 1;
        _rowsAnnounced = rows;
        await StartPartAsync(name, cancellationToken);
    }

    public void Text(int column, string? value)
    {
        Expect(column, SheetColumnKind.Text);
        _cells[column] = value is null ? default : new Cell(CellText.ForCell(value));
    }

    public void Integer(int column, long? value)
    {
        Expect(column, SheetColumnKind.Integer);
        _cells[column] = value is { } v ? new Cell(v, _styles[column]) : default;
    }

    public void Date(int column, DateOnly value)
    {
        Expect(column, SheetColumnKind.Date);
        _cells[column] = new Cell(value.ToDateTime(TimeOnly.MinValue), _styles[column]);
    }

    /// <summary>A wall-clock time already converted to the account's zone; no conversion happens here.</summary>
    public void DateTime(int column, DateTime? local)
    {
        Expect(column, SheetColumnKind.DateTime);
        _cells[column] = local is { } v ? new Cell(System.DateTime.SpecifyKind(v, DateTimeKind.Unspecified), _styles[column]) : default;
    }

    /// <summary>Writes the cells set since the last row (the others stay empty) and clears them.</summary>
    public async ValueTask WriteRowAsync(CancellationToken cancellationToken)
    {
        if (_rowsInPart >= _maxRowsPerSheet)
        {
            _part++;
            await StartPartAsync($"{_sheet} ({_part})", cancellationToken);
        }
        await _book.AddRowAsync(_cells, cancellationToken);
        _rowsInPart++;
        _rowsAnnounced--;
        Array.Clear(_cells);
    }

    /// <summary>Ends the last sheet and writes the rest of the workbook; the output then holds a complete .xlsx.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await _book.FinishAsync(cancellationToken);
        _completed = true;
        await _output.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed) _output.Abandon();
        try
        {
            await _book.DisposeAsync();
        }
        catch (Exception exception) when (!_completed && exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The export already failed: whatever the archive still had to say went nowhere.
        }
    }

    private async ValueTask StartPartAsync(string sheetName, CancellationToken cancellationToken)
    {
        var dataRows = Math.Clamp(_rowsAnnounced, 0, _maxRowsPerSheet - 1);
        var options = new WorksheetOptions
        {
            FrozenRows = 1,
            AutoFilter = new AutoFilterOptions($"A1:{ColumnLetters(_columns.Length)}{(dataRows + 1).ToString(CultureInfo.InvariantCulture)}"),
        };
        for (var i = 0; i < _columns.Length; i++) options.Column(i + 1).Width = _columns[i].Width;
        await _book.StartWorksheetAsync(sheetName, options, cancellationToken);
        _sheetNames.Add(sheetName);
        await _book.AddHeaderRowAsync(_headers, _headerStyle, cancellationToken);
        _rowsInPart = 1;
    }

    private StyleId Format(string format)
    {
        if (!_formats.TryGetValue(format, out var id))
            _formats[format] = id = _book.AddStyle(new Style { Format = NumberFormat.Custom(format) });
        return id;
    }

    private void Expect(int column, SheetColumnKind kind)
    {
        if (_columns[column].Kind != kind)
            throw new ArgumentException($"Column \"{_columns[column].Header}\" holds {_columns[column].Kind}, not {kind}.", nameof(column));
    }

    /// <summary>Excel's column name: 1 → A, 27 → AA, 16,384 → XFD.</summary>
    internal static string ColumnLetters(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var letters = "";
        for (; number > 0; number = (number - 1) / 26) letters = (char)('A' + (number - 1) % 26) + letters;
        return letters;
    }

    /// <summary>
    /// Between the archive and the output. ZipArchive writes a few small parts synchronously (an entry's local header
    /// and data descriptor) even when used asynchronously, which an ASP.NET Core response body refuses: those bytes
    /// wait here and go out, in order, ahead of the next asynchronous write or flush. Once abandoned, it takes writes
    /// and drops them.
    /// </summary>
    private sealed class OutputGate(Stream output) : WriteOnlyStream
    {
        private readonly MemoryStream _pending = new();
        private bool _abandoned;

        public long LargestPending { get; private set; }

        public void Abandon()
        {
            _abandoned = true;
            _pending.SetLength(0);
        }

        public override void Flush()
        {
            // Nothing synchronous reaches the output; FlushAsync passes the pending bytes on.
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_abandoned) return;
            await DrainAsync(cancellationToken);
            await output.FlushAsync(cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_abandoned) return;
            _pending.Write(buffer);
            LargestPending = Math.Max(LargestPending, _pending.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_abandoned) return;
            await DrainAsync(cancellationToken);
            await output.WriteAsync(buffer, cancellationToken);
        }

        private async ValueTask DrainAsync(CancellationToken cancellationToken)
        {
            if (_pending.Length == 0) return;
            await output.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
            _pending.SetLength(0);
        }
    }
}
