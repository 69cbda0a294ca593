using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Reports;
using CreditPortal.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditPortal.Tests.Reports;

/// <summary>Issue 13.7: a limit on exports running at once (per instance and per account), and a download whose
/// client stopped reading is cut after the stall timeout, so its read transaction does not hold the WAL.</summary>
public sealed class ExportLimitTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private static ExportLimits Limits(int total, int perAccount)
        => new(Options.Create(new ExportOptions { MaxConcurrentExports = total, MaxExportsPerAccount = perAccount }));

    [Fact]
    public void Exports_are_limited_per_account_and_per_instance_and_a_finished_one_frees_its_place()
    {
        var limits = Limits(total: 3, perAccount: 2);
        var a1 = limits.TryStart(1);
        var a2 = limits.TryStart(1);
        Assert.NotNull(a1);
        Assert.NotNull(a2);
        Assert.Null(limits.TryStart(1));          // the account's third
        var b1 = limits.TryStart(2);
        Assert.NotNull(b1);
        Assert.Null(limits.TryStart(3));          // the instance's fourth
        Assert.Equal(3, limits.Running);

        a1!.Dispose();
        a1.Dispose();                             // twice counts once
        Assert.Equal(2, limits.Running);
        Assert.NotNull(limits.TryStart(1));
    }

    [Fact]
    public async Task An_export_past_the_account_s_limit_gets_429_too_many_exports_with_Retry_After()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Export Co");
        var limits = app.Services.GetRequiredService<ExportLimits>();
        var url = $"api/v1/accounts/{account}/reports/consumption?from=2026-11-01&to=2026-11-30&format=csv";
        var running = Enumerable.Range(0, limits.Options.MaxExportsPerAccount).Select(_ => limits.TryStart(account)!).ToList();
        try
        {
            using var refused = await support.GetAsync(url);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(limits.Options.BusyRetryAfter, refused.Headers.RetryAfter?.Delta);
            Api.Api.AssertProblem(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!, 429, code: "too_many_exports");
        }
        finally
        {
            running.ForEach(r => r.Dispose());
        }
        using var allowed = await support.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(0, limits.Running);
    }

    [Fact]
    public async Task A_write_the_client_does_not_take_is_cut_after_the_stall_timeout_and_says_it_stalled()
    {
        await using var guard = new StallGuardStream(new NeverReadStream(), TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guard.WriteAsync(new byte[10]).AsTask());

        Assert.True(guard.Stalled.IsCancellationRequested);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_caller_who_cancels_is_not_taken_for_a_stalled_client()
    {
        await using var guard = new StallGuardStream(new NeverReadStream(), TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guard.WriteAsync(new byte[10], cancel.Token).AsTask());

        Assert.False(guard.Stalled.IsCancellationRequested);
    }

    /// <summary>A client that never takes a byte: every write waits until it is cancelled.</summary>
    private sealed class NeverReadStream : MemoryStream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            => await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
