namespace CreditPortal.Reports.Excel;

/// <summary>
/// One column of a sheet: its header text, what it holds, and its width. Every sheet written with these
/// columns (including the continuation sheets after Excel's row limit) gets the same header, widths and formats.
/// </summary>
/// <param name="Header">Text of the bold header cell.</param>
/// <param name="Kind">Which cells the column accepts and how they are formatted.</param>
/// <param name="Width">Column width in characters of the default font, as Excel's own "Column Width" (0–255).</param>
/// <param name="NumberFormat">
/// Excel number format code; null takes the kind's default (<see cref="DefaultNumberFormat"/>). Ignored for text.
/// </param>
public sealed record XlsxColumn(string Header, XlsxColumnKind Kind, double Width, string? NumberFormat = null)
{
    public static XlsxColumn Text(string header, double width = 20) => new(header, XlsxColumnKind.Text, width);

    public static XlsxColumn Integer(string header, double width = 12, string? numberFormat = null)
        => new(header, XlsxColumnKind.Integer, width, numberFormat);

    /// <summary>A decimal column, e.g. money with <c>#,##0.00</c>.</summary>
    public static XlsxColumn Decimal(string header, double width = 14, string? numberFormat = null)
        => new(header, XlsxColumnKind.Decimal, width, numberFormat);

    public static XlsxColumn Date(string header, double width = 12, string? numberFormat = null)
        => new(header, XlsxColumnKind.Date, width, numberFormat);

    public static XlsxColumn DateTime(string header, double width = 17, string? numberFormat = null)
        => new(header, XlsxColumnKind.DateTime, width, numberFormat);

    /// <summary>The number format the column's cells are shown with; null for text (Excel's "General").</summary>
    public string? EffectiveNumberFormat => Kind == XlsxColumnKind.Text ? null : NumberFormat ?? DefaultNumberFormat(Kind);

    /// <summary>ISO-like formats by default so the same file reads the same in every locale.</summary>
    public static string? DefaultNumberFormat(XlsxColumnKind kind) => kind switch
    {
        XlsxColumnKind.Integer => "#,##0",
        XlsxColumnKind.Decimal => "#,##0.00",
        XlsxColumnKind.Date => "yyyy-mm-dd",
        XlsxColumnKind.DateTime => "yyyy-mm-dd hh:mm",
        _ => null,
    };
}
