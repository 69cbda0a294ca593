namespace CreditPortal.Reports.Excel;

/// <summary>What an <see cref="XlsxCell"/> carries; <c>default</c> is an empty cell.</summary>
internal enum XlsxCellKind : byte
{
    Empty = 0,
    Text,
    Integer,
    Decimal,
    Date,
}
