namespace CreditPortal.Reports;

/// <summary>
/// The report as an .xlsx workbook, one sheet per view (R12): Summary, By list, Consumptions, Ledger. Dates and
/// times are real date cells holding the account's wall-clock time; counts and credits are number cells with
/// a number format; names, references and reasons are text and stay text whatever they start with. Past
/// Excel's row limit a sheet continues on "Consumptions (2)" and so on.
/// </summary>
internal static class ReportWorkbook
{
    public const string SummarySheet = "Summary";
    public const string ByListSheet = "By list";
    public const string ConsumptionsSheet = "Consumptions";
    public const string LedgerSheet = "Ledger";

    /// <summary>Rows between progress reports and cancellation checks: often enough to feel live, rarely enough to cost nothing.</summary>
    internal const int ProgressEvery = ExportCounter.ProgressEvery;

    private const string Id = "0";
    private const string Count = "#,##0";
    private const string Signed = "#,##0;-#,##0;0";
    private const string When = "yyyy-mm-dd hh:mm:ss";

    private static readonly SheetColumn[] PeriodColumns =
    [
        SheetColumn.Text("Period", 12),
        SheetColumn.Date("From", 11),
        SheetColumn.Date("To", 11),
    ];

    private static readonly SheetColumn[] SpendingColumns =
    [
        SheetColumn.Integer("Credits spent", 14, Count),
        SheetColumn.Integer("Messages sent", 15, Count),
        SheetColumn.Integer("Sends accepted", 15, Count),
        SheetColumn.Integer("Sends rejected", 15, Count),
        SheetColumn.Integer("Messages rejected", 18, Count),
    ];

    public static readonly SheetColumn[] SummaryColumns =
    [
        .. PeriodColumns,
        SheetColumn.Text("Channel", 9),
        .. SpendingColumns,
        SheetColumn.Integer("Credits added", 14, Count),
        SheetColumn.Integer("Credits expired", 15, Count),
    ];

    public static readonly SheetColumn[] ByListColumns =
    [
        .. PeriodColumns,
        SheetColumn.Text("List", 28),
        SheetColumn.Integer("List id", 8, Id),
        SheetColumn.Text("Channel", 9),
        .. SpendingColumns,
    ];

    public static readonly SheetColumn[] ConsumptionColumns =
    [
        SheetColumn.Integer("Id", 10, Id),
        SheetColumn.DateTime("Requested at", 19, When),
        SheetColumn.DateTime("Decided at", 19, When),
        SheetColumn.Text("List", 28),
        SheetColumn.Integer("List id", 8, Id),
        SheetColumn.Text("Channel", 9),
        SheetColumn.Text("Country", 8),
        SheetColumn.Integer("Messages", 12, Count),
        SheetColumn.Integer("Credits per message", 10, Count),
        SheetColumn.Integer("Credits", 12, Count),
        SheetColumn.Integer("Credits drawn", 14, Count),
        SheetColumn.Text("Status", 10),
        SheetColumn.Text("Reason", 20),
        SheetColumn.Text("Reference", 40),
    ];

    public static readonly SheetColumn[] LedgerColumns =
    [
        SheetColumn.Integer("Id", 10, Id),
        SheetColumn.DateTime("At", 19, When),
        SheetColumn.Text("Channel", 9),
        SheetColumn.Text("Kind", 17),
        SheetColumn.Integer("Credits", 12, Signed),
        SheetColumn.Integer("Assigned change", 16, Signed),
        SheetColumn.Integer("Held change", 13, Signed),
        SheetColumn.Integer("Lot id", 8, Id),
        SheetColumn.Text("Lot kind", 12),
        SheetColumn.Text("List", 28),
        SheetColumn.Integer("List id", 8, Id),
        SheetColumn.Integer("Order id", 9, Id),
        SheetColumn.Text("Actor", 30),
        SheetColumn.Text("Reason", 30),
        SheetColumn.Text("Detail", 40),
    ];

    /// <summary>Writes every sheet from one snapshot; the caller completes the workbook.</summary>
    public static async Task<long> WriteAsync(ReportSpreadsheet book, ReportReader reader, ReportAccount account, ReportRange range,
        IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var usage = ReportQueries.Usage(reader, account, range);
        var (start, end) = ReportQueries.Instants(account, range.From, range.To);
        var all = new ConsumptionQuery(range.From, range.To);
        var (decided, queued) = reader.CountConsumptions(account.Id, all, start, end);
        var ledgerCount = reader.CountLedger(account.Id, start, end);
        var counter = new ExportCounter(progress, usage.Summary.Count + usage.ByList.Count + decided + queued + ledgerCount, cancellationToken);
        var names = reader.ListNames(account.Id);

        counter.Sheet(SummarySheet);
        await book.BeginSheetAsync(SummarySheet, SummaryColumns, usage.Summary.Count, cancellationToken);
        foreach (var row in usage.Summary)
        {
            var i = Period(book, row.Period, range);
            book.Text(i++, row.Channel.ToString());
            i = Spending(book, i, row.Credits, row.Messages, row.Accepted, row.Rejected, row.RejectedMessages);
            book.Integer(i++, row.CreditsAdded);
            book.Integer(i, row.CreditsExpired);
            await book.WriteRowAsync(cancellationToken);
            counter.Row();
        }

        counter.Sheet(ByListSheet);
        await book.BeginSheetAsync(ByListSheet, ByListColumns, usage.ByList.Count, cancellationToken);
        foreach (var row in usage.ByList)
        {
            var i = Period(book, row.Period, range);
            book.Text(i++, row.ListName);
            book.Integer(i++, row.ListId);
            book.Text(i++, row.Channel.ToString());
            Spending(book, i, row.Credits, row.Messages, row.Accepted, row.Rejected, row.RejectedMessages);
            await book.WriteRowAsync(cancellationToken);
            counter.Row();
        }

        counter.Sheet(ConsumptionsSheet);
        await book.BeginSheetAsync(ConsumptionsSheet, ConsumptionColumns, decided + queued, cancellationToken);
        foreach (var c in reader.Consumptions(account.Id, all, start, end, names))
        {
            book.Integer(0, c.Id);
            book.DateTime(1, account.LocalTime(c.RequestedAt));
            book.DateTime(2, c.DecidedAt is { } decidedAt ? account.LocalTime(decidedAt) : null);
            book.Text(3, c.ListName);
            book.Integer(4, c.ListId);
            book.Text(5, c.Channel.ToString());
            book.Text(6, c.Country);
            book.Integer(7, c.Messages);
            book.Integer(8, c.CreditsPerMessage);
            book.Integer(9, c.Credits);
            book.Integer(10, c.CreditsDrawn);
            book.Text(11, c.Status.ToString());
            book.Text(12, c.Reason);
            book.Text(13, c.Reference);
            await book.WriteRowAsync(cancellationToken);
            counter.Row();
        }

        counter.Sheet(LedgerSheet);
        await book.BeginSheetAsync(LedgerSheet, LedgerColumns, ledgerCount, cancellationToken);
        foreach (var e in reader.Ledger(account.Id, start, end, names))
        {
            book.Integer(0, e.Id);
            book.DateTime(1, account.LocalTime(e.At));
            book.Text(2, e.Channel.ToString());
            book.Text(3, e.Kind.ToString());
            book.Integer(4, e.Quantity);
            book.Integer(5, e.AssignedDelta);
            book.Integer(6, e.HeldDelta);
            book.Integer(7, e.LotId);
            book.Text(8, e.LotKind?.ToString());
            book.Text(9, e.ListName);
            book.Integer(10, e.ListId);
            book.Integer(11, e.OrderId);
            book.Text(12, e.Actor);
            book.Text(13, e.Reason);
            book.Text(14, e.Detail);
            await book.WriteRowAsync(cancellationToken);
            counter.Row();
        }
        counter.Done();
        return counter.Written;
    }

    private static int Period(ReportSpreadsheet book, ReportPeriod period, ReportRange range)
    {
        var (from, to) = period.Within(range.From, range.To);
        book.Text(0, period.Key);
        book.Date(1, from);
        book.Date(2, to);
        return 3;
    }

    private static int Spending(ReportSpreadsheet book, int i, long credits, long messages, long accepted, long rejected, long rejectedMessages)
    {
        book.Integer(i++, credits);
        book.Integer(i++, messages);
        book.Integer(i++, accepted);
        book.Integer(i++, rejected);
        book.Integer(i++, rejectedMessages);
        return i;
    }
}
