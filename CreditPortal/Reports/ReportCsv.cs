using CsvHelper;

namespace CreditPortal.Reports;

/// <summary>
/// The consumption rows of a range as CSV (RFC 4180, written with CsvHelper): one line per consumption in the
/// drill-down's order (decided ones by decision time, then the queued ones), the columns of the workbook's
/// Consumptions sheet under the API's JSON names. Instants are ISO 8601 in the account's zone with their offset
/// (<c>2026-10-25T02:30:00+01:00</c>), so the repeated hour of a daylight-saving change stays unambiguous; numbers are
/// plain integers. UTF-8 with a byte order mark, which Excel needs to read non-ASCII names and every CSV reader skips.
/// </summary>
/// <remarks>
/// A text field that a spreadsheet would run as a formula (starting with <c>= + - @</c>, a tab or a carriage return)
/// is prefixed with an apostrophe and quoted (CsvHelper's injection escaping): a list named <c>=cmd()</c> arrives as
/// <c>'=cmd()</c>. Numbers and instants are never touched.
/// </remarks>
internal static class ReportCsv
{
    public static readonly string[] Header =
    [
        "id", "requestedAt", "decidedAt", "listName", "listId", "channel", "country", "messages", "creditsPerMessage", "credits",
        "creditsDrawn", "status", "reason", "reference",
    ];

    private static readonly CsvWriterOptions Options = new()
    {
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = true,
    };

    public static async Task<long> WriteAsync(Stream output, ReportReader reader, ReportAccount account, ReportRange range,
        IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var (start, end) = ReportQueries.Instants(account, range.From, range.To);
        var all = new ConsumptionQuery(range.From, range.To);
        var (decided, queued) = reader.CountConsumptions(account.Id, all, start, end);
        var counter = new ExportCounter(progress, decided + queued, cancellationToken);

        // UTF-8 straight into the output; the writer flushes its buffer asynchronously as it fills.
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        counter.Sheet(ReportWorkbook.ConsumptionsSheet);
        csv.WriteHeader(Header); // a whole record, still in the writer's buffer
        foreach (var c in reader.Consumptions(account.Id, all, start, end, reader.ListNames(account.Id)))
        {
            csv.WriteField(c.Id);
            csv.WriteField(account.Calendar.ToLocal(c.RequestedAt), InstantFormat);
            if (c.DecidedAt is { } decidedAt) csv.WriteField(account.Calendar.ToLocal(decidedAt), InstantFormat);
            else csv.WriteField((string?)null);
            csv.WriteField(c.ListName);
            csv.WriteField(c.ListId);
            csv.WriteField(c.Channel.ToString());
            csv.WriteField(c.Country);
            csv.WriteField(c.Messages);
            csv.WriteField(c.CreditsPerMessage);
            csv.WriteField(c.Credits);
            csv.WriteField(c.CreditsDrawn);
            csv.WriteField(c.Status.ToString());
            csv.WriteField(c.Reason);
            csv.WriteField(c.Reference);
            await csv.EndRecordAsync(cancellationToken);
            counter.Row();
        }
        counter.Done();
        await csv.FlushAsync(cancellationToken);
        return counter.Written;
    }

    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:sszzz";
}
