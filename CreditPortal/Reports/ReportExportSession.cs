using System.Security.Claims;

namespace CreditPortal.Reports;

/// <summary>
/// The export job of one circuit (a scoped service lives as long as the circuit): the Reports page finds its
/// running download again after the user looked at another page meanwhile. One download at a time per circuit.
/// </summary>
public sealed class ReportExportSession(ExportJobs jobs) : IDisposable
{
    public ExportJob? Current { get; private set; }

    /// <summary>A job for the next download link; the running one while a download is still going.</summary>
    public ExportJob Prepare(ClaimsPrincipal user, long accountId, ReportRange range)
    {
        if (Current is { State: ExportJobState.Running } running) return running;
        if (Current is { State: ExportJobState.Ready } unused)
        {
            if (unused.AccountId == accountId && unused.Range == range && unused.User == ExportJob.UserOf(user)) return unused;
            jobs.Forget(unused);
        }
        Current = jobs.Prepare(user, accountId, range);
        return Current;
    }

    /// <summary>The circuit is gone. A download already running goes on (the browser is fetching it); a link
    /// nobody clicked is forgotten.</summary>
    public void Dispose()
    {
        if (Current is { State: ExportJobState.Ready } unused) jobs.Forget(unused);
    }
}
