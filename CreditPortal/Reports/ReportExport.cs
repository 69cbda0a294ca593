using CreditPortal.Data;
using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// Exports a report as .xlsx straight into a stream (an HTTP response body, forward-only), with memory that does
/// not grow with the rows: rows go from one SQLite read transaction through SpreadCheetah (<see cref="ReportSpreadsheet"/>) to the
/// output as they are read. The portal's download and the API's <c>format=xlsx</c> both call this.
/// </summary>
public sealed class ReportExport(PortalDatabase database)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Rows per sheet before a continuation sheet; Excel's limit unless a test lowers it.</summary>
    internal int MaxRowsPerSheet { get; init; } = ReportSpreadsheet.ExcelMaxRowsPerSheet;

    /// <summary>
    /// Writes the workbook of <paramref name="accountId"/> over <paramref name="range"/>. The output holds a complete
    /// workbook only when this returns: a cancelled or failed export leaves it without the workbook's closing parts.
    /// </summary>
    /// <exception cref="LedgerNotFoundException">The account does not exist (nothing was written).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the work stopped within <see cref="ReportWorkbook.ProgressEvery"/> rows.</exception>
    public async Task<ExportResult> WriteXlsxAsync(Stream output, long accountId, ReportRange range, IProgress<ExportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        var account = reader.Account(accountId) ?? throw new LedgerNotFoundException($"Account {accountId}");
        await using var book = await ReportSpreadsheet.CreateAsync(output, MaxRowsPerSheet, cancellationToken);
        var rows = await ReportWorkbook.WriteAsync(book, reader, account, range, progress, cancellationToken);
        await book.CompleteAsync(cancellationToken);
        return new ExportResult(rows, [.. book.SheetNames]);
    }
}
