using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Ledger.Engine;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Api;

/// <summary>
/// Issue 13.8: the ledger under faults of the parts below it, over HTTP on the real app. Each test ends with the
/// ledger check at 0 differences and every acknowledged consumption recorded. (SMTP down: AlertMailTests; a kill
/// during a batch: CrashRecoveryTests; a poison account and a payment provider outage: ScheduledWorkIsolationTests.)
/// SQLite's own faults (its page limit as a full disk, its file lock held by another process): SQLite only.
/// </summary>
[Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
public sealed class FaultTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private async Task<(long Account, long List, HttpClient Sender)> AccountAsync(string name)
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync(name);
        await support.GrantAsync(account, 1_000_000);
        var list = await support.CreateListAsync(account, "News");
        return (account, list, app.As(await support.CreateKeyAsync(account)));
    }

    [Fact]
    public async Task Disk_full_answers_503_storage_full_with_nothing_half_written_and_the_app_recovers_when_space_returns()
    {
        var (account, list, sender) = await AccountAsync("Full Co");
        using var support = app.Support();
        var before = await support.TotalAsync(account);
        var writer = app.Services.GetRequiredService<LedgerWriter>();
        // SQLite's own quota: the file may not grow by a single page, so the next write that needs one fails with
        // SQLITE_FULL exactly as on a full disk.
        var pages = Convert.ToInt64(await RunAsync(writer, "PRAGMA page_count"));
        await RunAsync(writer, $"PRAGMA max_page_count = {pages}");

        var accepted = 0;
        HttpResponseMessage? full = null;
        string? failedKey = null;
        try
        {
            for (var i = 0; i < 20_000 && full is null; i++)
            {
                var key = $"full-{i}";
                var response = await sender.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(Api.Consumption(list, 1, key)));
                if (response.StatusCode == HttpStatusCode.Created) { accepted++; response.Dispose(); continue; }
                full = response;
                failedKey = key;
            }
            Assert.NotNull(full);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
            Assert.NotNull(full.Headers.RetryAfter?.Delta);
            Api.AssertProblem(JsonNode.Parse(await full.Content.ReadAsStringAsync())!, 503, code: "storage_full");
            Assert.Equal(before - accepted, await support.TotalAsync(account));
            Assert.Empty(await app.LedgerCheckAsync());
        }
        finally
        {
            full?.Dispose();
            await RunAsync(writer, "PRAGMA max_page_count = 4294967294");
        }

        // Space is back: the refused request, sent again with its key, is recorded once.
        var again = await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 1, failedKey!));
        Assert.Equal("Accepted", (string?)again["status"]);
        Assert.Equal(before - accepted - 1, await support.TotalAsync(account));
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Another_process_holding_the_write_lock_for_5_s_makes_sends_wait_and_then_succeed()
    {
        var (account, list, sender) = await AccountAsync("Locked Co");
        using var support = app.Support();
        var before = await support.TotalAsync(account);

        // A real other process: Python's sqlite3 takes the database's write lock and holds it for 5 s.
        using var locker = Process.Start(new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList =
            {
                "-c",
                "import sqlite3, sys, time\n" +
                "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n" +
                "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\ntime.sleep(5)\nc.execute('ROLLBACK')\nprint('released', flush=True)\n",
                app.Database.FilePath,
            },
            RedirectStandardOutput = true,
        })!;
        Assert.Equal("locked", await locker.StandardOutput.ReadLineAsync());
        var clock = Stopwatch.StartNew();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await sender.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(Api.Consumption(list, 10, $"locked-{i}")));
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(3), $"the sends should have waited for the lock, took {clock.Elapsed}");
        Assert.Equal("released", await locker.StandardOutput.ReadLineAsync());
        await locker.WaitForExitAsync();
        Assert.Equal(before - 200, await support.TotalAsync(account));
        Assert.Empty(await app.LedgerCheckAsync());
    }

    private static Task<object?> RunAsync(LedgerWriter writer, string sql) => writer.ExecuteOnConnectionAsync(sql);
}
