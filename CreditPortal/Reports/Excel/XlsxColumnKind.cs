namespace CreditPortal.Reports.Excel;

/// <summary>What a report column holds; decides which <see cref="XlsxCell"/> values it accepts and its default number format.</summary>
public enum XlsxColumnKind
{
    /// <summary>Text, written as an inline string: never evaluated as a formula, whatever it starts with.</summary>
    Text,

    /// <summary>Whole numbers (counts, credits); default format <c>#,##0</c>.</summary>
    Integer,

    /// <summary>Decimal numbers such as money; default format <c>#,##0.00</c>.</summary>
    Decimal,

    /// <summary>A calendar day, written as an Excel date serial; default format <c>yyyy-mm-dd</c>.</summary>
    Date,

    /// <summary>A local wall-clock time, written as an Excel date serial; default format <c>yyyy-mm-dd hh:mm</c>.</summary>
    DateTime,
}
