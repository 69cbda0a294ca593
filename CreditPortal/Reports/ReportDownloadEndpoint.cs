using System.Security.Claims;
using CreditPortal.Accounts;
using CreditPortal.Identity;
using Microsoft.Net.Http.Headers;

namespace CreditPortal.Reports;

/// <summary>
/// <c>GET /accounts/{id}/reports/export.xlsx?from&amp;to&amp;groupBy[&amp;job]</c> (the workbook) and <c>.../export.csv</c>
/// (the consumption rows): the Reports page's downloads, authorised by the portal's login cookie with the portal's
/// one account rule (owners their own account, support any; anything else is 404, like a missing account). The file
/// streams into the response as it is written. With a <c>job</c> token prepared by the page, progress goes to the
/// page and the page's Cancel stops the work.
/// </summary>
public static class ReportDownloadEndpoint
{
    public const string Pattern = "/accounts/{accountId:long}/reports/export.xlsx";
    public const string CsvPattern = "/accounts/{accountId:long}/reports/export.csv";

    public static string Path(long accountId, ReportRange range, string? job = null, ReportFileFormat format = ReportFileFormat.Xlsx)
        => $"accounts/{accountId}/reports/export.{format.Extension()}?{range.ToQueryString()}" + (job is null ? "" : "&job=" + Uri.EscapeDataString(job));

    public static IEndpointRouteBuilder MapReportDownloads(this IEndpointRouteBuilder endpoints)
    {
        // Plain GETs that change nothing: no antiforgery token needed. Anonymous callers get the login redirect.
        endpoints.MapGet(Pattern, (HttpContext http, long accountId, ReportQueries queries, ReportExport export, ExportJobs jobs, ILoggerFactory loggers)
                => DownloadAsync(http, accountId, queries, export, jobs, loggers))
            .RequireAuthorization(PortalPolicies.Portal)
            .ExcludeFromDescription();
        endpoints.MapGet(CsvPattern, (HttpContext http, long accountId, ReportQueries queries, ReportExport export, ExportJobs jobs, ILoggerFactory loggers)
                => DownloadAsync(http, accountId, queries, export, jobs, loggers, ReportFileFormat.Csv))
            .RequireAuthorization(PortalPolicies.Portal)
            .ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task DownloadAsync(HttpContext http, long accountId, ReportQueries queries, ReportExport export, ExportJobs jobs,
        ILoggerFactory loggers, ReportFileFormat format = ReportFileFormat.Xlsx)
    {
        var logger = loggers.CreateLogger(typeof(ReportDownloadEndpoint));
        var user = http.User;
        var account = AccountAccess.MaySee(user, accountId) ? await queries.GetAccountAsync(accountId, http.RequestAborted) : null;
        if (account is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var q = http.Request.Query;
        if (!ReportRange.TryParse(q["from"], q["to"], q["groupBy"], out var range, out _, out var error))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(error!, http.RequestAborted);
            return;
        }

        var (claim, job) = jobs.Claim(q["job"], user, accountId);
        if (claim == ExportClaim.Refused)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("This download was cancelled or has already started; export again from the Reports page.", http.RequestAborted);
            return;
        }
        await StreamAsync(http, export, account, range!, claim == ExportClaim.Claimed ? job : null, logger, format);
    }

    /// <summary>Streams the file into the response; shared with the API's <c>format=xlsx|csv</c>.</summary>
    public static async Task StreamAsync(HttpContext http, ReportExport export, ReportAccount account, ReportRange range, ExportJob? job,
        ILogger logger, ReportFileFormat format = ReportFileFormat.Xlsx)
    {
        // A limit on exports running at once, per instance and per account: each holds a read transaction and a core.
        var limits = http.RequestServices.GetRequiredService<ExportLimits>();
        using var lease = limits.TryStart(account.Id);
        if (lease is null)
        {
            job?.Finish(ExportJobState.Failed, "Too many exports are running; try again in a few seconds.");
            if (job is not null) ExportJobsOf(http)?.Forget(job);
            Api.ApiProblems.SetRetryAfter(http.Response, limits.Options.BusyRetryAfter);
            await Api.ApiProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, limits.Paused
                ? "Exports wait a moment while the database catches up with recent writes. Try again in a few seconds."
                : $"Too many exports are running (at most {limits.Options.MaxExportsPerAccount} per account). Try again in a few seconds.", "too_many_exports");
            return;
        }

        http.Response.ContentType = format.ContentType();
        http.Response.Headers[HeaderNames.ContentDisposition] =
            new ContentDispositionHeaderValue("attachment") { FileName = ReportFileName.For(account, range, format.Extension()) }.ToString();
        http.Response.Headers[HeaderNames.CacheControl] = "no-store";

        // A client that stops reading is cut after the stall timeout, so its export's read transaction closes.
        await using var body = new StallGuardStream(http.Response.Body, limits.Options.StallTimeout);
        using var stop = job is null
            ? CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, body.Stalled)
            : CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, job.CancellationToken, body.Stalled);
        try
        {
            var result = await export.WriteAsync(format, body, account.Id, range, job, stop.Token);
            job?.Finish(ExportJobState.Completed);
            logger.LogInformation("Report export ({Format}) of account {AccountId} ({From}..{To}) wrote {Rows} rows", format, account.Id, range.From,
                range.To, result.RowsWritten);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            job?.Finish(ExportJobState.Cancelled);
            if (body.Stalled.IsCancellationRequested)
                logger.LogWarning("Report export of account {AccountId} cut: the client read nothing for {Timeout}", account.Id, limits.Options.StallTimeout);
            else logger.LogInformation("Report export of account {AccountId} cancelled after {Rows} rows", account.Id, job?.Progress.RowsWritten);
            // The file was abandoned part-way (a workbook without its closing parts, a CSV without its last rows); ending
            // the response normally would look like a finished download. Abort the connection so the browser reports
            // the download as failed.
            http.Abort();
        }
        catch (Exception ex)
        {
            job?.Finish(ExportJobState.Failed, "The export failed.");
            logger.LogError(ex, "Report export of account {AccountId} failed", account.Id);
            if (http.Response.HasStarted) http.Abort();
            else throw;
        }
        finally
        {
            if (job is not null) ExportJobsOf(http)?.Forget(job);
        }
    }

    private static ExportJobs? ExportJobsOf(HttpContext http) => http.RequestServices.GetService<ExportJobs>();
}
