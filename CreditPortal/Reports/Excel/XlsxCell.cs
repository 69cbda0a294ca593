namespace CreditPortal.Reports.Excel;

/// <summary>
/// One typed cell value of a row, a small struct so a row can be passed as a stack-allocated span:
/// <c>writer.WriteRow([day, list.Name, sent, amount])</c> via the implicit conversions.
/// <c>default</c> (and every conversion from a null value) is an empty cell.
/// </summary>
/// <remarks>
/// Which values a column accepts: text columns take text; integer and decimal columns take integers and
/// decimals; date and date-time columns take dates. Anything else is a programming error and
/// <see cref="XlsxStreamWriter.WriteRow"/> throws before writing any cell of the row.
/// </remarks>
public readonly struct XlsxCell
{
    private readonly string? _text;
    private readonly decimal _decimal;
    private readonly long _integerOrTicks;

    private XlsxCell(XlsxCellKind kind, string? text = null, decimal @decimal = 0, long integerOrTicks = 0)
    {
        Kind = kind;
        _text = text;
        _decimal = @decimal;
        _integerOrTicks = integerOrTicks;
    }

    /// <summary>An empty cell (the same as <c>default</c>).</summary>
    public static XlsxCell Empty => default;

    internal XlsxCellKind Kind { get; }

    public bool IsEmpty => Kind == XlsxCellKind.Empty;

    internal string TextValue => _text!;

    internal long IntegerValue => _integerOrTicks;

    internal decimal DecimalValue => _decimal;

    internal DateTime DateValue => new(_integerOrTicks, DateTimeKind.Unspecified);

    /// <summary>Literal text; null is an empty cell. Text is never turned into a formula.</summary>
    public static XlsxCell Text(string? value) => value is null ? default : new(XlsxCellKind.Text, text: value);

    public static XlsxCell Integer(long value) => new(XlsxCellKind.Integer, integerOrTicks: value);

    public static XlsxCell Decimal(decimal value) => new(XlsxCellKind.Decimal, @decimal: value);

    /// <summary>
    /// A date or date-time as a local wall-clock time: the caller has already converted the instant to the
    /// account's time zone; <see cref="DateTime.Kind"/> is ignored and no conversion happens here.
    /// </summary>
    public static XlsxCell Date(DateTime localValue) => new(XlsxCellKind.Date, integerOrTicks: localValue.Ticks);

    public static XlsxCell Date(DateOnly value) => Date(value.ToDateTime(TimeOnly.MinValue));

    public static implicit operator XlsxCell(string? value) => Text(value);

    public static implicit operator XlsxCell(int value) => Integer(value);

    public static implicit operator XlsxCell(long value) => Integer(value);

    public static implicit operator XlsxCell(decimal value) => Decimal(value);

    public static implicit operator XlsxCell(DateTime localValue) => Date(localValue);

    public static implicit operator XlsxCell(DateOnly value) => Date(value);

    public static implicit operator XlsxCell(int? value) => value is { } v ? Integer(v) : default;

    public static implicit operator XlsxCell(long? value) => value is { } v ? Integer(v) : default;

    public static implicit operator XlsxCell(decimal? value) => value is { } v ? Decimal(v) : default;

    public static implicit operator XlsxCell(DateTime? localValue) => localValue is { } v ? Date(v) : default;

    public static implicit operator XlsxCell(DateOnly? value) => value is { } v ? Date(v) : default;

    public override string ToString() => Kind switch
    {
        XlsxCellKind.Text => _text!,
        XlsxCellKind.Integer => _integerOrTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        XlsxCellKind.Decimal => _decimal.ToString(System.Globalization.CultureInfo.InvariantCulture),
        XlsxCellKind.Date => DateValue.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
        _ => string.Empty,
    };
}
