using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Health;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CreditPortal.Tests.Api;

/// <summary>Issue 13.3: live, ready with checks that mean something, and support's detailed view.</summary>
public sealed class HealthTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Live_and_ready_answer_anonymously_with_statuses_only()
    {
        using var anonymous = app.Anonymous();

        var live = await anonymous.GetJsonAsync("health/live");
        var ready = await anonymous.GetJsonAsync("health/ready");

        Assert.Equal("Healthy", (string?)live["status"]);
        Assert.Single(live.AsObject());
        Assert.NotEqual("Unhealthy", (string?)ready["status"]);
        foreach (var check in new[] { "database", "writer", "scheduler", "mail", "webhooks", "disk", "exports" })
            Assert.Contains((string?)ready[check], new[] { "Healthy", "Degraded" });
        Assert.All(ready.AsObject(), p => Assert.IsType<string>(p.Value!.GetValue<string>()));
    }

    [Fact]
    public async Task Support_reads_every_check_s_figures_and_an_account_key_may_not()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Health Co");
        using var owner = app.As(await support.CreateKeyAsync(account));

        var details = await support.GetJsonAsync("api/v1/health");
        var denied = await owner.GetJsonAsync("api/v1/health", HttpStatusCode.Forbidden);

        var checks = details["checks"]!;
        Assert.Equal(0, (int)checks["writer"]!["queueDepth"]!);
        Assert.Equal(app.Services.GetRequiredService<LedgerOptions>().QueueLimit, (int)checks["writer"]!["queueLimit"]!);
        // The disk of the SQLite file; a PostgreSQL server watches its own.
        if (app.Database.Provider == CreditPortal.Data.DatabaseProvider.Sqlite) Assert.True((long)checks["disk"]!["freeMiB"]! > 0);
        else Assert.Contains("PostgreSQL", (string)checks["disk"]!["description"]!);
        Assert.NotNull(checks["scheduler"]!["lagSeconds"]);
        Assert.NotNull(checks["mail"]!["backlog"]);
        Assert.Equal(0, (int)checks["webhooks"]!["backlog"]!);
        Assert.Equal(0, (int)checks["exports"]!["running"]!);
        Api.AssertProblem(denied, 403);
    }

    [Fact]
    public async Task The_writer_is_degraded_when_its_oldest_command_waits_too_long_and_unhealthy_without_a_heartbeat()
    {
        var writer = app.Services.GetRequiredService<LedgerWriter>();
        var limits = app.Services.GetRequiredService<LedgerOptions>();
        var strict = Options.Create(new HealthOptions { QueueWait = TimeSpan.FromMilliseconds(200), WriterHeartbeat = TimeSpan.FromSeconds(10) });
        var check = new WriterHealthCheck(writer, limits, strict);

        // Hold the writer on one command for a while; a second command waits behind it.
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var holding = writer.RunAsync(_ => { started.Set(); return release.Wait(TimeSpan.FromSeconds(10)); });
        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
        var waiting = writer.RunAsync(_ => true);
        await Task.Delay(400);
        var busy = await check.CheckHealthAsync(new HealthCheckContext());
        release.Set();
        await Task.WhenAll(holding, waiting);
        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, busy.Status);
        Assert.Contains("oldest ledger command", busy.Description);
        Assert.Equal(1, (int)busy.Data["queueDepth"]);
        Assert.Equal(HealthStatus.Healthy, after.Status);

        var noHeartbeat = new WriterHealthCheck(writer, limits, Options.Create(new HealthOptions { WriterHeartbeat = TimeSpan.FromMilliseconds(-1) }));
        Assert.Equal(HealthStatus.Unhealthy, (await noHeartbeat.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    /// <summary>The disk of the SQLite file (a PostgreSQL server watches its own disk).</summary>
    [Fact, Trait(CreditPortal.Tests.Infrastructure.DatabaseTraits.Name, CreditPortal.Tests.Infrastructure.DatabaseTraits.SqliteOnly)]
    public async Task The_disk_check_is_unhealthy_below_its_free_space_floor()
    {
        var database = app.Services.GetRequiredService<CreditPortal.Data.PortalDatabase>();

        var fine = await new DiskHealthCheck(database, Options.Create(new HealthOptions { MinFreeDiskMiB = 1 })).CheckHealthAsync(new HealthCheckContext());
        var full = await new DiskHealthCheck(database, Options.Create(new HealthOptions { MinFreeDiskMiB = long.MaxValue })).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, fine.Status);
        Assert.Equal(HealthStatus.Unhealthy, full.Status);
        Assert.StartsWith("Only ", full.Description);
    }
}
