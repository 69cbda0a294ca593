using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreditPortal.Reports;

namespace CreditPortal.Api;

/// <summary>One row of <c>GET /api/v1/accounts/{id}/reports/consumption</c> (docs/api.md): a period, list and channel.</summary>
/// <param name="Period">ISO 8601 name of the period: <c>2026-11-22</c>, <c>2026-W47</c> (ISO week, Monday to Sunday) or <c>2026-11</c>.</param>
/// <param name="From">First local date of the period that the range covers.</param>
/// <param name="To">Last local date of the period that the range covers.</param>
/// <param name="Credits">Credits drawn by accepted sends (0 for Pro's unmetered sends).</param>
/// <param name="Messages">Messages of accepted sends.</param>
/// <param name="Accepted">Accepted sends.</param>
/// <param name="Rejected">Refused sends (they drew nothing).</param>
/// <param name="RejectedMessages">Messages of refused sends.</param>
public sealed record ConsumptionReportRow(
    string Period,
    DateOnly From,
    DateOnly To,
    long ListId,
    string ListName,
    Ledger.Channel Channel,
    long Credits,
    long Messages,
    long Accepted,
    long Rejected,
    long RejectedMessages);

/// <summary>
/// The consumption report (R12): <c>?from&amp;to&amp;groupBy=day|week|month&amp;format=json|xlsx|csv</c>, local dates of the
/// account's zone, both inclusive; groupBy defaults to month, format to json. JSON answers the rows, from the
/// per-day totals the ledger keeps (never a scan of the consumptions); xlsx streams the same workbook as the
/// portal's download (Summary, By list, Consumptions, Ledger) into the response as it is written, csv the
/// consumption rows (<see cref="ReportCsv"/>).
/// </summary>
public static class ReportEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapGet("/reports/consumption", ConsumptionAsync)
            .Produces<List<ConsumptionReportRow>>(StatusCodes.Status200OK, "application/json", ReportExport.ContentType, "text/csv")
            .WithSummary("Credits and messages per period (day, ISO week or month), list and channel; format=xlsx returns the workbook, format=csv the consumption rows.");
    }

    /// <param name="from">First local date, <c>YYYY-MM-DD</c>, inclusive.</param>
    /// <param name="to">Last local date, <c>YYYY-MM-DD</c>, inclusive.</param>
    /// <param name="groupBy"><c>day</c>, <c>week</c> (ISO, Monday to Sunday) or <c>month</c> (default).</param>
    /// <param name="format"><c>json</c> (default), <c>xlsx</c> or <c>csv</c>.</param>
    private static async Task<IResult> ConsumptionAsync(HttpContext http, long accountId, string? from, string? to, string? groupBy, string? format,
        ReportQueries queries, ReportExport export, ILoggerFactory loggers)
    {
        // Strings, checked here, so that every bad value is a problem naming its field (not a binding failure).
        if (!ReportRange.TryParse(from, to, groupBy, out var range, out var field, out var error))
            return ApiProblems.BadRequest(field!, error!);
        ReportFileFormat? file;
        switch (string.IsNullOrEmpty(format) ? "json" : format.ToLowerInvariant())
        {
            case "json": file = null; break;
            case "xlsx": file = ReportFileFormat.Xlsx; break;
            case "csv": file = ReportFileFormat.Csv; break;
            default: return ApiProblems.BadRequest("format", "format must be json, xlsx or csv.");
        }

        if (file is { } fileFormat)
        {
            var account = await queries.GetAccountAsync(accountId, http.RequestAborted);
            return account is null
                ? ApiProblems.AccountNotFound(accountId)
                : new FileResult(export, account, range!, fileFormat, loggers.CreateLogger(typeof(ReportEndpoints)));
        }

        var report = await queries.GetUsageAsync(accountId, range!, http.RequestAborted);
        if (report is null) return ApiProblems.AccountNotFound(accountId);
        var rows = report.ByList.Select(r =>
        {
            var (first, last) = r.Period.Within(range!.From, range.To);
            return new ConsumptionReportRow(r.Period.Key, first, last, r.ListId, r.ListName, r.Channel, r.Credits, r.Messages, r.Accepted, r.Rejected,
                r.RejectedMessages);
        }).ToList();
        return TypedResults.Json(rows, ReportJsonContext.Wire.ListConsumptionReportRow);
    }

    /// <summary>Streams the file into the response as it is written (never buffered whole); shared with the portal's download.</summary>
    private sealed class FileResult(ReportExport export, ReportAccount account, ReportRange range, ReportFileFormat format, ILogger logger) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ReportDownloadEndpoint.StreamAsync(httpContext, export, account, range, null, logger, format);
    }
}

/// <summary>The report's JSON, generated at build time with the same conventions as <see cref="ApiJsonContext"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<ConsumptionReportRow>))]
public sealed partial class ReportJsonContext : JsonSerializerContext
{
    /// <summary>List names stay readable (<c>Acme &amp; Co</c>, not <c>\u0026</c>): these answers are JSON, never inlined in HTML.</summary>
    public static ReportJsonContext Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    });
}
