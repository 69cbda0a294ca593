using CreditPortal.Data;
using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// Exports a report straight into a stream (an HTTP response body, forward-only), with memory that does not grow
/// with the rows: rows go from one SQLite read transaction to the output as they are read, through SpreadCheetah
/// (<see cref="ReportSpreadsheet"/>) for the workbook or CsvHelper (<see cref="ReportCsv"/>) for the consumption rows.
/// The portal's downloads and the API's <c>format=xlsx|csv</c> all call this.
/// </summary>
public sealed class ReportExport(PortalDatabase database)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Rows per sheet before a continuation sheet; Excel's limit unless a test lowers it.</summary>
    internal int MaxRowsPerSheet { get; init; } = ReportSpreadsheet.ExcelMaxRowsPerSheet;

    /// <summary>Writes the report of <paramref name="accountId"/> over <paramref name="range"/> in <paramref name="format"/>.</summary>
    public Task<ExportResult> WriteAsync(ReportFileFormat format, Stream output, long accountId, ReportRange range,
        IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
        => format == ReportFileFormat.Csv
            ? WriteCsvAsync(output, accountId, range, progress, cancellationToken)
            : WriteXlsxAsync(output, accountId, range, progress, cancellationToken);

    /// <summary>
    /// Writes the consumption rows of <paramref name="accountId"/> over <paramref name="range"/> as CSV. The output
    /// holds every row only when this returns.
    /// </summary>
    /// <exception cref="LedgerNotFoundException">The account does not exist (nothing was written).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the work stopped within <see cref="ReportWorkbook.ProgressEvery"/> rows.</exception>
    public async Task<ExportResult> WriteCsvAsync(Stream output, long accountId, ReportRange range, IProgress<ExportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var reader = await ReportReader.OpenAsync(database, cancellationToken);
        var account = reader.Account(accountId) ?? throw new LedgerNotFoundException($"Account {accountId}");
        var rows = await ReportCsv.WriteAsync(output, reader, account, range, progress, cancellationToken);
        return new ExportResult(rows, [ReportWorkbook.ConsumptionsSheet]);
    }

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
