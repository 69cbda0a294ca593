using CreditPortal.Accounts;
using CreditPortal.Identity;
using CreditPortal.Reports;

namespace CreditPortal.Api;

/// <summary>One row of <c>GET /api/v1/accounts/{id}/reports/consumption</c> (API.md): a period, list and channel.</summary>
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
    string Channel,
    long Credits,
    long Messages,
    long Accepted,
    long Rejected,
    long RejectedMessages);

/// <summary>
/// The consumption report of the HTTP API: <c>?from&amp;to&amp;groupBy=day|week|month&amp;format=json|xlsx</c>, local dates of the
/// account's zone, both inclusive. JSON answers the rows; xlsx streams the same workbook as the portal's download.
/// The handler assumes its group has already decided that the caller may act on the account in the route.
/// </summary>
public static class ReportEndpoints
{
    public const string Route = "/reports/consumption";

    /// <summary>Maps the report on a group whose route carries <c>{accountId:long}</c> and checks the caller's access.</summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder account)
        => account.MapGet(Route, ConsumptionAsync)
            .WithSummary("Credits and messages per period, list and channel; format=xlsx returns the workbook (Summary, By list, Consumptions, Ledger).")
            .Produces<List<ConsumptionReportRow>>()
            .Produces(StatusCodes.Status200OK, contentType: ReportExport.ContentType)
            .ProducesValidationProblem();

    /// <summary>
    /// Until the API layer (API keys, problem+json conventions, <c>/api/v1</c> group) is on main: the same endpoint at its
    /// contract path, behind the portal's login and its account rule. When the API layer lands, its account group calls
    /// <see cref="Map"/> instead and this goes.
    /// </summary>
    public static IEndpointRouteBuilder MapReportApiBehindPortalLogin(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/api/v1/accounts/{accountId:long}")
            .RequireAuthorization(PortalPolicies.Portal)
            .AddEndpointFilter(async (context, next) =>
                AccountAccess.MaySee(context.HttpContext.User, AccountId(context.HttpContext))
                    ? await next(context)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Account not found."));
        Map(account);
        return endpoints;
    }

    internal static async Task<IResult> ConsumptionAsync(HttpContext http, long accountId, ReportQueries queries, ReportExport export,
        ILoggerFactory loggers)
    {
        var q = http.Request.Query;
        if (!ReportRange.TryParse(q["from"], q["to"], q["groupBy"], out var range, out var field, out var error))
            return BadInput(field!, error!);
        var format = string.IsNullOrEmpty(q["format"]) ? "json" : q["format"].ToString().ToLowerInvariant();
        if (format is not ("json" or "xlsx")) return BadInput("format", "format must be json or xlsx.");

        var account = await queries.GetAccountAsync(accountId, http.RequestAborted);
        if (account is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Account not found.");
        if (format == "xlsx")
            return new WorkbookResult(export, account, range!, loggers.CreateLogger(typeof(ReportEndpoints)));

        var report = (await queries.GetUsageAsync(accountId, range!, http.RequestAborted))!;
        return Results.Json(report.ByList.Select(r =>
        {
            var (from, to) = r.Period.Within(range!.From, range.To);
            return new ConsumptionReportRow(r.Period.Key, from, to, r.ListId, r.ListName, r.Channel.ToString(), r.Credits, r.Messages, r.Accepted,
                r.Rejected, r.RejectedMessages);
        }).ToList());
    }

    private static IResult BadInput(string field, string message)
        => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "Bad input");

    private static long AccountId(HttpContext http)
        => http.Request.RouteValues.TryGetValue("accountId", out var value) && long.TryParse(value?.ToString(), out var id) ? id : -1;

    /// <summary>Streams the workbook into the response as it is written (never buffered whole).</summary>
    private sealed class WorkbookResult(ReportExport export, ReportAccount account, ReportRange range, ILogger logger) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ReportDownloadEndpoint.StreamAsync(httpContext, export, account, range, null, logger);
    }
}
