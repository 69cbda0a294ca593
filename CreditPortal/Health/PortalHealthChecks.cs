using CreditPortal.Alerts;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Engine;
using CreditPortal.Reports;
using CreditPortal.Scheduling;
using CreditPortal.Webhooks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CreditPortal.Health;

/// <summary>Configuration section <c>Health</c>: when readiness calls a part of the app unwell.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>The writer is unhealthy when its loop has not shown life for this long.</summary>
    public TimeSpan WriterHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The writer is degraded when its oldest waiting command has waited this long.</summary>
    public TimeSpan QueueWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The writer is degraded past this share of <see cref="LedgerOptions.QueueLimit"/> (percent).</summary>
    public int QueueFullPercent { get; set; } = 80;

    /// <summary>Mail is degraded when the oldest alert not mailed yet was raised this long ago.</summary>
    public TimeSpan MailBacklogAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Unhealthy below this much free space on the database's disk (MiB).</summary>
    public long MinFreeDiskMiB { get; set; } = 512;
}

/// <summary>The ledger writer: its loop alive (heartbeat), its queue's depth and the age of its oldest command.</summary>
public sealed class WriterHealthCheck(LedgerWriter writer, LedgerOptions limits, IOptions<HealthOptions> options) : IHealthCheck
{
    public const string Name = "writer";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var data = new Dictionary<string, object>
        {
            ["queueDepth"] = writer.QueueDepth,
            ["queueLimit"] = limits.QueueLimit,
            ["oldestWaitMs"] = (long)writer.OldestWait.TotalMilliseconds,
            ["sinceHeartbeatMs"] = (long)writer.SinceHeartbeat.TotalMilliseconds,
        };
        var result = writer.SinceHeartbeat > o.WriterHeartbeat
                ? HealthCheckResult.Unhealthy($"The ledger writer has shown no life for {writer.SinceHeartbeat.TotalSeconds:0} s.", data: data)
            : writer.OldestWait > o.QueueWait
                ? HealthCheckResult.Degraded($"The oldest ledger command has waited {writer.OldestWait.TotalSeconds:0.0} s.", data: data)
            : writer.QueueDepth * 100L > (long)limits.QueueLimit * o.QueueFullPercent
                ? HealthCheckResult.Degraded($"The ledger's queue holds {writer.QueueDepth} of {limits.QueueLimit} commands.", data: data)
            : HealthCheckResult.Healthy("The ledger writer keeps up.", data);
        return Task.FromResult(result);
    }
}

/// <summary>The scheduler: how late the earliest due work is (accounts set aside not counted: they are shown apart).</summary>
public sealed class SchedulerHealthCheck(Scheduler scheduler, SetAsideWork setAside, TimeProvider clock, IOptions<SchedulingOptions> options)
    : IHealthCheck
{
    public const string Name = "scheduler";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var next = await scheduler.NextDueAsync(cancellationToken);
        var lag = next is { } due && due < now ? now - due : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["lagSeconds"] = Math.Round(lag.TotalSeconds, 1),
            ["setAside"] = setAside.Count,
            ["lastRoundAt"] = scheduler.LastRoundAt?.ToString("O") ?? "",
        };
        if (lag > options.Value.LagLimit)
            return HealthCheckResult.Unhealthy($"Scheduled work is {lag.TotalMinutes:0} min late.", data: data);
        if (setAside.Count > 0)
            return HealthCheckResult.Degraded($"{setAside.Count} account(s) or kind(s) of scheduled work are set aside after failures.", data: data);
        return HealthCheckResult.Healthy("Scheduled work is on time.", data);
    }
}

/// <summary>The alert mail: how many alerts wait, since when, and whether the SMTP server can be reached.</summary>
public sealed class MailHealthCheck(AlertMailer mailer, TimeProvider clock, IOptions<HealthOptions> options) : IHealthCheck
{
    public const string Name = "mail";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (count, oldest) = await mailer.BacklogAsync(cancellationToken);
        var age = oldest is { } at ? clock.GetUtcNow() - at : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["backlog"] = count,
            ["oldestAgeSeconds"] = Math.Round(Math.Max(0, age.TotalSeconds)),
            ["serverUnreachableSince"] = mailer.ServerUnreachableSince?.ToString("O") ?? "",
        };
        return age > options.Value.MailBacklogAge
            ? HealthCheckResult.Degraded($"{count} alert(s) wait to be mailed, the oldest for {age.TotalMinutes:0} min.", data: data)
            : HealthCheckResult.Healthy($"{count} alert(s) wait to be mailed.", data);
    }
}

/// <summary>Webhooks (issue #17): how many deliveries wait and since when. A receiver that is down is its owner's matter (the
/// delivery log shows it), so the backlog never makes the app unwell; a dispatcher that stopped going round does.</summary>
public sealed class WebhooksHealthCheck(WebhookDispatcher dispatcher, TimeProvider clock, IOptions<WebhookOptions> options) : IHealthCheck
{
    public const string Name = "webhooks";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (count, oldest) = await dispatcher.BacklogAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var age = oldest is { } at ? now - at : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["backlog"] = count,
            ["oldestAgeSeconds"] = Math.Round(Math.Max(0, age.TotalSeconds)),
            ["lastRoundAt"] = dispatcher.LastRoundAt?.ToString("O") ?? "",
        };
        // Rounds come every Poll of real time; with a manual clock the app's time may stand still, so only a clock that moved on
        // by many polls since the last round means the loop stopped.
        var stalled = dispatcher.LastRoundAt is { } last && now - last > options.Value.Poll * 30 + TimeSpan.FromMinutes(1);
        return stalled
            ? HealthCheckResult.Degraded($"The webhook dispatcher has not gone round since {dispatcher.LastRoundAt:O}.", data: data)
            : HealthCheckResult.Healthy($"{count} webhook deliver{(count == 1 ? "y" : "ies")} wait.", data);
    }
}

/// <summary>Free space on the disk that holds the database.</summary>
public sealed class DiskHealthCheck(PortalDatabase database, IOptions<HealthOptions> options) : IHealthCheck
{
    public const string Name = "disk";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!database.IsSqlite)
            return Task.FromResult(HealthCheckResult.Healthy("The database is on a PostgreSQL server, whose disk that server watches."));
        var folder = Path.GetDirectoryName(Path.GetFullPath(database.FilePath)) ?? ".";
        var freeMiB = new DriveInfo(folder).AvailableFreeSpace / (1024 * 1024);
        var data = new Dictionary<string, object> { ["freeMiB"] = freeMiB, ["minFreeMiB"] = options.Value.MinFreeDiskMiB };
        return Task.FromResult(freeMiB < options.Value.MinFreeDiskMiB
            ? HealthCheckResult.Unhealthy($"Only {freeMiB} MiB are free on the database's disk.", data: data)
            : HealthCheckResult.Healthy($"{freeMiB} MiB free on the database's disk.", data));
    }
}

/// <summary>Exports running now, against the instance's limit (never unwell: a full house is refused with 429).</summary>
public sealed class ExportsHealthCheck(ExportLimits exports) : IHealthCheck
{
    public const string Name = "exports";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(HealthCheckResult.Healthy($"{exports.Running} export(s) running.",
            new Dictionary<string, object> { ["running"] = exports.Running, ["limit"] = exports.Options.MaxConcurrentExports }));
}
