namespace CreditPortal.Reports;

/// <summary>
/// One column of a report sheet: its header, what its cells hold, its width and number format. Every part of a
/// sheet (the continuation sheets past Excel's row limit included) gets the same header, widths and formats.
/// </summary>
/// <param name="Header">Text of the bold header cell.</param>
/// <param name="Kind">What the column's cells hold.</param>
/// <param name="Width">Width in characters of the default font, as Excel's own "Column Width".</param>
/// <param name="Format">Excel number format code; null for text.</param>
internal sealed record SheetColumn(string Header, SheetColumnKind Kind, double Width, string? Format)
{
    public static SheetColumn Text(string header, double width) => new(header, SheetColumnKind.Text, width, null);

    public static SheetColumn Integer(string header, double width, string format) => new(header, SheetColumnKind.Integer, width, format);

    /// <summary>A local date, shown ISO-like so the same file reads the same in every locale.</summary>
    public static SheetColumn Date(string header, double width) => new(header, SheetColumnKind.Date, width, "yyyy-mm-dd");

    /// <summary>A local wall-clock time in the account's zone.</summary>
    public static SheetColumn DateTime(string header, double width, string format) => new(header, SheetColumnKind.DateTime, width, format);
}

internal enum SheetColumnKind
{
    Text,
    Integer,
    Date,
    DateTime,
}
