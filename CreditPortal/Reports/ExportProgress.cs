namespace CreditPortal.Reports;

/// <summary>Where an export is: the sheet being written and rows written out of all rows of the workbook.</summary>
public readonly record struct ExportProgress(string Sheet, long RowsWritten, long TotalRows)
{
    /// <summary>0..1; an empty workbook counts as done.</summary>
    public double Fraction => TotalRows <= 0 ? 1 : Math.Min(1, (double)RowsWritten / TotalRows);
}

/// <summary>What an export wrote.</summary>
public sealed record ExportResult(long RowsWritten, IReadOnlyList<string> SheetNames);
