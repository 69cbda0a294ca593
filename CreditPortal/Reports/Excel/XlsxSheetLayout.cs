namespace CreditPortal.Reports.Excel;

/// <summary>
/// What every part of one logical sheet shares (the first sheet and its continuations past the row limit):
/// columns, their letters, styles and the header texts, computed once.
/// </summary>
internal sealed class XlsxSheetLayout
{
    /// <summary>Excel's column limit (XFD).</summary>
    public const int MaxColumns = 16_384;

    public XlsxSheetLayout(IReadOnlyList<XlsxColumn> columns, XlsxStyles styles)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count is 0 or > MaxColumns)
        {
            throw new ArgumentException($"A sheet needs 1 to {MaxColumns} columns, not {columns.Count}.", nameof(columns));
        }

        Columns = [.. columns];
        Letters = new string[Columns.Length];
        Styles = new uint[Columns.Length];
        Headers = new string[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = Columns[i] ?? throw new ArgumentException($"Column {i + 1} is null.", nameof(columns));
            if (column.Header is null) throw new ArgumentException($"Column {i + 1} has no header.", nameof(columns));
            if (!(column.Width is >= 0 and <= 255)) // also rejects NaN
            {
                throw new ArgumentException($"Column \"{column.Header}\" has width {column.Width}; Excel allows 0 to 255.", nameof(columns));
            }
            if (!Enum.IsDefined(column.Kind)) throw new ArgumentException($"Column \"{column.Header}\" has an unknown kind.", nameof(columns));

            Letters[i] = ColumnLetters(i + 1);
            Styles[i] = styles.ForNumberFormat(column.EffectiveNumberFormat);
            Headers[i] = XlsxText.ForCell(column.Header);
        }
    }

    public XlsxColumn[] Columns { get; }

    /// <summary>"A", "B", …, "AA" per column.</summary>
    public string[] Letters { get; }

    /// <summary>Style index of each column's data cells.</summary>
    public uint[] Styles { get; }

    /// <summary>Header texts, already made safe for a cell.</summary>
    public string[] Headers { get; }

    public string LastLetters => Letters[^1];

    /// <summary>1 → "A", 26 → "Z", 27 → "AA", 16384 → "XFD".</summary>
    public static string ColumnLetters(int number)
    {
        Span<char> buffer = stackalloc char[3];
        var at = buffer.Length;
        while (number > 0)
        {
            var remainder = (number - 1) % 26;
            buffer[--at] = (char)('A' + remainder);
            number = (number - 1) / 26;
        }
        return new string(buffer[at..]);
    }

    /// <summary>Throws, naming the column, when a cell does not fit the column's kind or Excel's range.</summary>
    public void Validate(ReadOnlySpan<XlsxCell> cells)
    {
        if (cells.Length > Columns.Length)
        {
            throw new ArgumentException($"The row has {cells.Length} cells but the sheet has {Columns.Length} columns.", nameof(cells));
        }
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            var kind = Columns[i].Kind;
            var fits = cell.Kind switch
            {
                XlsxCellKind.Empty => true,
                XlsxCellKind.Text => kind == XlsxColumnKind.Text,
                XlsxCellKind.Integer or XlsxCellKind.Decimal => kind is XlsxColumnKind.Integer or XlsxColumnKind.Decimal,
                XlsxCellKind.Date => kind is XlsxColumnKind.Date or XlsxColumnKind.DateTime,
                _ => false,
            };
            if (!fits)
            {
                throw new ArgumentException($"Column \"{Columns[i].Header}\" ({kind}) cannot hold the {cell.Kind} value \"{cell}\".", nameof(cells));
            }
            if (cell.Kind == XlsxCellKind.Date && cell.DateValue < XlsxSerialDate.FirstDate)
            {
                throw new ArgumentOutOfRangeException(nameof(cells), cell.DateValue,
                    $"Column \"{Columns[i].Header}\": Excel cannot show dates before {XlsxSerialDate.FirstDate:yyyy-MM-dd} correctly.");
            }
        }
    }
}
