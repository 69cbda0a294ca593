namespace CreditPortal.Reports;

/// <summary>What a report download is: the whole workbook, or the consumption rows as CSV.</summary>
public enum ReportFileFormat
{
    /// <summary>The four-sheet workbook (Summary, By list, Consumptions, Ledger).</summary>
    Xlsx,

    /// <summary>One line per consumption of the range, the workbook's Consumptions sheet as plain text.</summary>
    Csv,
}

public static class ReportFileFormats
{
    public static string ContentType(this ReportFileFormat format) => format switch
    {
        ReportFileFormat.Csv => "text/csv; charset=utf-8",
        _ => ReportExport.ContentType,
    };

    public static string Extension(this ReportFileFormat format) => format == ReportFileFormat.Csv ? "csv" : "xlsx";
}
