using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace CreditPortal.Reports;

/// <summary>
/// The export jobs of every circuit, found by token when the browser asks for the file. The page (a circuit)
/// and the download (an HTTP request) live in different scopes; this singleton is where they meet.
/// </summary>
public sealed class ExportJobs(TimeProvider clock)
{
    /// <summary>A prepared job nobody fetched (the page was closed) is forgotten after this long.</summary>
    internal static readonly TimeSpan Unclaimed = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, ExportJob> _jobs = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    public ExportJob Prepare(ClaimsPrincipal user, long accountId, ReportRange range)
    {
        ForgetStale();
        var job = new ExportJob(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), accountId, ExportJob.UserOf(user), range,
            clock.GetUtcNow());
        _jobs[job.Token] = job;
        return job;
    }

    /// <summary>
    /// The job behind <paramref name="token"/>, started. <see cref="ExportClaim.Untracked"/> when there is no such job for
    /// this user and account (expired, or never theirs): the download then runs without reporting to any page.
    /// <see cref="ExportClaim.Refused"/> when the job was already used or cancelled: a link is good for one download,
    /// and a download the user cancelled before it reached the server must not start anyway.
    /// </summary>
    public (ExportClaim Claim, ExportJob? Job) Claim(string? token, ClaimsPrincipal user, long accountId)
    {
        if (string.IsNullOrEmpty(token) || !_jobs.TryGetValue(token, out var job)) return (ExportClaim.Untracked, null);
        if (job.AccountId != accountId || !string.Equals(job.User, ExportJob.UserOf(user), StringComparison.Ordinal)) return (ExportClaim.Untracked, null);
        return job.TryStart() ? (ExportClaim.Claimed, job) : (ExportClaim.Refused, job);
    }

    public ExportJob? Find(string token) => _jobs.GetValueOrDefault(token);

    public void Forget(ExportJob job) => _jobs.TryRemove(new KeyValuePair<string, ExportJob>(job.Token, job));

    private void ForgetStale()
    {
        var cutoff = clock.GetUtcNow() - Unclaimed;
        foreach (var (_, job) in _jobs)
        {
            if ((job.IsFinished || job.State == ExportJobState.Ready) && job.CreatedAt < cutoff) Forget(job);
        }
    }
}

public enum ExportClaim { Untracked, Claimed, Refused }
