using CreditPortal.Reports.Excel;

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
    internal const int ProgressEvery = 1_000;

    private const string Id = "0";
    private const string Count = "#,##0";
    private const string Signed = "#,##0;-#,##0;0";
    private const string When = "yyyy-mm-dd hh:mm:ss";

    private static readonly XlsxColumn[] PeriodColumns =
    [
        XlsxColumn.Text("Period", 12),
        XlsxColumn.Date("From", 11),
        XlsxColumn.Date("To", 11),
    ];

    private static readonly XlsxColumn[] SpendingColumns =
    [
        XlsxColumn.Integer("Credits spent", 14, Count),
        XlsxColumn.Integer("Messages sent", 15, Count),
        XlsxColumn.Integer("Sends accepted", 15, Count),
        XlsxColumn.Integer("Sends rejected", 15, Count),
        XlsxColumn.Integer("Messages rejected", 18, Count),
    ];

    public static readonly XlsxColumn[] SummaryColumns =
    [
        .. PeriodColumns,
        XlsxColumn.Text("Channel", 9),
        .. SpendingColumns,
        XlsxColumn.Integer("Credits added", 14, Count),
        XlsxColumn.Integer("Credits expired", 15, Count),
    ];

    public static readonly XlsxColumn[] ByListColumns =
    [
        .. PeriodColumns,
        XlsxColumn.Text("List", 28),
        XlsxColumn.Integer("List id", 8, Id),
        XlsxColumn.Text("Channel", 9),
        .. SpendingColumns,
    ];

    public static readonly XlsxColumn[] ConsumptionColumns =
    [
        XlsxColumn.Integer("Id", 10, Id),
        XlsxColumn.DateTime("Requested at", 19, When),
        XlsxColumn.DateTime("Decided at", 19, When),
        XlsxColumn.Text("List", 28),
        XlsxColumn.Integer("List id", 8, Id),
        XlsxColumn.Text("Channel", 9),
        XlsxColumn.Text("Country", 8),
        XlsxColumn.Integer("Messages", 12, Count),
        XlsxColumn.Integer("Credits per message", 10, Count),
        XlsxColumn.Integer("Credits", 12, Count),
        XlsxColumn.Integer("Credits drawn", 14, Count),
        XlsxColumn.Text("Status", 10),
        XlsxColumn.Text("Reason", 20),
        XlsxColumn.Text("Reference", 40),
    ];

    public static readonly XlsxColumn[] LedgerColumns =
    [
        XlsxColumn.Integer("Id", 10, Id),
        XlsxColumn.DateTime("At", 19, When),
        XlsxColumn.Text("Channel", 9),
        XlsxColumn.Text("Kind", 17),
        XlsxColumn.Integer("Credits", 12, Signed),
        XlsxColumn.Integer("Assigned change", 16, Signed),
        XlsxColumn.Integer("Lot id", 8, Id),
        XlsxColumn.Text("Lot kind", 12),
        XlsxColumn.Text("List", 28),
        XlsxColumn.Integer("List id", 8, Id),
        XlsxColumn.Integer("Order id", 9, Id),
        XlsxColumn.Text("Actor", 30),
        XlsxColumn.Text("Reason", 30),
        XlsxColumn.Text("Detail", 40),
    ];

    /// <summary>Writes every sheet from one snapshot; the caller completes the workbook.</summary>
    public static async Task<long> WriteAsync(XlsxStreamWriter writer, ReportReader reader, ReportAccount account, ReportRange range,
        IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var usage = ReportQueries.Usage(reader, account, range);
        var (start, end) = ReportQueries.Instants(account, range.From, range.To);
        var all = new ConsumptionQuery(range.From, range.To);
        var (decided, queued) = reader.CountConsumptions(account.Id, all, start, end);
        var ledgerCount = reader.CountLedger(account.Id, start, end);
        var counter = new Counter(progress, usage.Summary.Count + usage.ByList.Count + decided + queued + ledgerCount, cancellationToken);
        var names = reader.ListNames(account.Id);

        counter.Sheet(SummarySheet);
        writer.BeginSheet(SummarySheet, SummaryColumns);
        var cells = new XlsxCell[SummaryColumns.Length];
        foreach (var row in usage.Summary)
        {
            var i = Period(cells, row.Period, range);
            cells[i++] = row.Channel.ToString();
            i = Spending(cells, i, row.Credits, row.Messages, row.Accepted, row.Rejected, row.RejectedMessages);
            cells[i++] = row.CreditsAdded;
            cells[i] = row.CreditsExpired;
            await writer.WriteRowAsync(cells, cancellationToken);
            counter.Row();
        }

        counter.Sheet(ByListSheet);
        writer.BeginSheet(ByListSheet, ByListColumns);
        cells = new XlsxCell[ByListColumns.Length];
        foreach (var row in usage.ByList)
        {
            var i = Period(cells, row.Period, range);
            cells[i++] = row.ListName;
            cells[i++] = row.ListId;
            cells[i++] = row.Channel.ToString();
            Spending(cells, i, row.Credits, row.Messages, row.Accepted, row.Rejected, row.RejectedMessages);
            await writer.WriteRowAsync(cells, cancellationToken);
            counter.Row();
        }

        counter.Sheet(ConsumptionsSheet);
        writer.BeginSheet(ConsumptionsSheet, ConsumptionColumns);
        cells = new XlsxCell[ConsumptionColumns.Length];
        foreach (var c in reader.Consumptions(account.Id, all, start, end, names))
        {
            cells[0] = c.Id;
            cells[1] = account.LocalTime(c.RequestedAt);
            cells[2] = c.DecidedAt is { } decidedAt ? account.LocalTime(decidedAt) : XlsxCell.Empty;
            cells[3] = c.ListName;
            cells[4] = c.ListId;
            cells[5] = c.Channel.ToString();
            cells[6] = c.Country;
            cells[7] = c.Messages;
            cells[8] = c.CreditsPerMessage;
            cells[9] = c.Credits;
            cells[10] = c.CreditsDrawn;
            cells[11] = c.Status.ToString();
            cells[12] = c.Reason;
            cells[13] = c.Reference;
            await writer.WriteRowAsync(cells, cancellationToken);
            counter.Row();
        }

        counter.Sheet(LedgerSheet);
        writer.BeginSheet(LedgerSheet, LedgerColumns);
        cells = new XlsxCell[LedgerColumns.Length];
        foreach (var e in reader.Ledger(account.Id, start, end, names))
        {
            cells[0] = e.Id;
            cells[1] = account.LocalTime(e.At);
            cells[2] = e.Channel.ToString();
            cells[3] = e.Kind.ToString();
            cells[4] = e.Quantity;
            cells[5] = e.AssignedDelta;
            cells[6] = e.LotId;
            cells[7] = e.LotKind?.ToString();
            cells[8] = e.ListName;
            cells[9] = e.ListId;
            cells[10] = e.OrderId;
            cells[11] = e.Actor;
            cells[12] = e.Reason;
            cells[13] = e.Detail;
            await writer.WriteRowAsync(cells, cancellationToken);
            counter.Row();
        }
        counter.Done();
        return counter.Written;
    }

    private static int Period(XlsxCell[] cells, ReportPeriod period, ReportRange range)
    {
        var (from, to) = period.Within(range.From, range.To);
        cells[0] = period.Key;
        cells[1] = from;
        cells[2] = to;
        return 3;
    }

    private static int Spending(XlsxCell[] cells, int i, long credits, long messages, long accepted, long rejected, long rejectedMessages)
    {
        cells[i++] = credits;
        cells[i++] = messages;
        cells[i++] = accepted;
        cells[i++] = rejected;
        cells[i++] = rejectedMessages;
        return i;
    }

    /// <summary>Counts rows, reports progress every <see cref="ProgressEvery"/> rows and stops the export once cancelled.</summary>
    private sealed class Counter(IProgress<ExportProgress>? progress, long total, CancellationToken cancellationToken)
    {
        private string _sheet = "";

        public long Written { get; private set; }

        public void Sheet(string name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _sheet = name;
            progress?.Report(new ExportProgress(name, Written, total));
        }

        public void Row()
        {
            if (++Written % ProgressEvery != 0) return;
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new ExportProgress(_sheet, Written, total));
        }

        public void Done() => progress?.Report(new ExportProgress(_sheet, Written, Math.Max(total, Written)));
    }
}
