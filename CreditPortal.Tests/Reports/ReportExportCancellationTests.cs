using System.Security.Claims;
using System.Text;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Tests.Reports.Excel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditPortal.Tests.Reports;

/// <summary>Long exports report progress into their job, and cancelling the job (or the browser going away) stops the server's work.</summary>
public sealed class ReportExportCancellationTests : IAsyncLifetime
{
    private const int Sends = 12_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ReportRange Range = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), ReportGrouping.Day);

    private LedgerHarness _h = default!;
    private long _account;
    private ReportExport _export = default!;
    private ExportJobs _jobs = default!;
    private ClaimsPrincipal _owner = default!;

    public async Task InitializeAsync()
    {
        _h = LedgerHarness.Start(Start);
        _account = await _h.CreateAccountAsync("Big Sender");
        _owner = User("owner@acme.test", _account);
        var list = await _h.Ledger.CreateListAsync(_account, "News", LedgerHarness.Owner);
        await _h.GrantAsync(_account, 1_000_000);
        // Concurrent sends are committed together by the writer's group commit: thousands take a second or two.
        await Task.WhenAll(Enumerable.Range(0, Sends).Select(i =>
            _h.Ledger.ConsumeAsync(_account, new ConsumptionRequest(Channel.Email, list, 1 + i % 50, null, $"send {i}", $"k{i}"), LedgerHarness.Owner)));
        _export = new ReportExport(_h.Database.Portal);
        _jobs = new ExportJobs(_h.Clock);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A signed-in owner as the login cookie describes one.</summary>
    private static ClaimsPrincipal User(string email, long accountId) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.NameIdentifier, "id-" + email), new Claim(ClaimTypes.Role, PortalRoles.Owner),
            new Claim(PortalClaims.AccountId, accountId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], "test"));

    [Fact]
    public async Task Progress_reaches_every_row_and_the_job_ends_completed()
    {
        var job = _jobs.Prepare(_owner, _account, Range);
        Assert.Equal(ExportClaim.Claimed, _jobs.Claim(job.Token, _owner, _account).Claim);
        var seen = new List<ExportProgress>();
        job.Changed += j => { lock (seen) seen.Add(j.Progress); };

        var http = Http(new ForwardOnlyStream(refuseSynchronousWrites: true));
        await ReportDownloadEndpoint.StreamAsync(http.Context, _export, (await Account())!, Range, job, NullLogger.Instance);

        Assert.Equal(ExportJobState.Completed, job.State);
        Assert.False(http.Aborted);
        Assert.Equal(job.Progress.TotalRows, job.Progress.RowsWritten);
        Assert.True(job.Progress.TotalRows > Sends, "every consumption plus the summary and ledger rows");
        Assert.Null(Openpyxl.OpenError(http.Body.Received));
        Assert.Contains(seen, p => p.Sheet == ReportWorkbook.ConsumptionsSheet);
        Assert.Equal(0, _jobs.Count); // a finished job is forgotten
    }

    [Theory]
    [InlineData(ReportFileFormat.Xlsx)]
    [InlineData(ReportFileFormat.Csv)]
    public async Task Cancel_stops_the_work_within_a_thousand_rows_and_aborts_the_download(ReportFileFormat format)
    {
        var job = _jobs.Prepare(_owner, _account, Range);
        Assert.Equal(ExportClaim.Claimed, _jobs.Claim(job.Token, _owner, _account).Claim);
        long rowsAtCancel = -1;
        // The user presses Cancel as soon as the first bytes reach the browser.
        var body = new ForwardOnlyStream(refuseSynchronousWrites: true);
        var http = Http(new CallbackStream(body, () =>
        {
            if (rowsAtCancel >= 0) return;
            rowsAtCancel = job.Progress.RowsWritten;
            job.Cancel();
        }));

        await ReportDownloadEndpoint.StreamAsync(http.Context, _export, (await Account())!, Range, job, NullLogger.Instance, format);

        Assert.Equal(ExportJobState.Cancelled, job.State);
        Assert.True(http.Aborted, "the connection is aborted so the browser does not keep a truncated file");
        Assert.Equal(format.ContentType(), http.Context.Response.ContentType);
        Assert.InRange(job.Progress.RowsWritten, rowsAtCancel, rowsAtCancel + ReportWorkbook.ProgressEvery);
        Assert.True(job.Progress.RowsWritten < job.Progress.TotalRows / 2, $"stopped at {job.Progress.RowsWritten} of {job.Progress.TotalRows}");
        if (format == ReportFileFormat.Xlsx) Assert.NotNull(Openpyxl.OpenError(body.Received)); // an abandoned workbook never passes for a whole one
    }

    [Fact]
    public async Task A_csv_download_reports_progress_to_the_end()
    {
        var job = _jobs.Prepare(_owner, _account, Range);
        _jobs.Claim(job.Token, _owner, _account);
        var http = Http(new ForwardOnlyStream(refuseSynchronousWrites: true));

        await ReportDownloadEndpoint.StreamAsync(http.Context, _export, (await Account())!, Range, job, NullLogger.Instance, ReportFileFormat.Csv);

        Assert.Equal(ExportJobState.Completed, job.State);
        Assert.Equal((long)Sends, job.Progress.RowsWritten);
        Assert.Equal(job.Progress.TotalRows, job.Progress.RowsWritten);
        Assert.Equal(Sends + 1, Encoding.UTF8.GetString(http.Body.Received).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_browser_going_away_stops_the_work_too()
    {
        using var aborted = new CancellationTokenSource();
        var job = _jobs.Prepare(_owner, _account, Range);
        _jobs.Claim(job.Token, _owner, _account);
        var http = Http(new CallbackStream(new ForwardOnlyStream(refuseSynchronousWrites: true), aborted.Cancel), aborted.Token);

        await ReportDownloadEndpoint.StreamAsync(http.Context, _export, (await Account())!, Range, job, NullLogger.Instance);

        Assert.Equal(ExportJobState.Cancelled, job.State);
        Assert.True(job.Progress.RowsWritten < job.Progress.TotalRows / 2);
    }

    [Fact]
    public async Task A_link_cancelled_before_the_browser_fetched_it_is_refused_with_409()
    {
        var job = _jobs.Prepare(_owner, _account, Range);
        job.Cancel();
        Assert.Equal(ExportJobState.Cancelled, job.State);

        var http = Http(new ForwardOnlyStream(), query: $"?{Range.ToQueryString()}&job={job.Token}");
        await ReportDownloadEndpoint.DownloadAsync(http.Context, _account, new ReportQueries(_h.Database.Portal), _export,
            _jobs, NullLoggerFactory.Instance);

        Assert.Equal(StatusCodes.Status409Conflict, http.Context.Response.StatusCode);
    }

    [Fact]
    public void A_job_is_claimed_once_only_by_its_user_for_its_account()
    {
        var job = _jobs.Prepare(_owner, _account, Range);
        Assert.Equal(ExportClaim.Untracked, _jobs.Claim(job.Token, User("someone@else.test", _account), _account).Claim);
        Assert.Equal(ExportClaim.Untracked, _jobs.Claim(job.Token, _owner, _account + 1).Claim);
        Assert.Equal(ExportClaim.Untracked, _jobs.Claim("not-a-token", _owner, _account).Claim);
        Assert.Equal(ExportJobState.Ready, job.State);

        Assert.Equal(ExportClaim.Claimed, _jobs.Claim(job.Token, _owner, _account).Claim);
        Assert.Equal(ExportClaim.Refused, _jobs.Claim(job.Token, _owner, _account).Claim);
        Assert.Equal(ExportJobState.Running, job.State);
        Assert.NotEqual(job.Token, _jobs.Prepare(_owner, _account, Range).Token);
        Assert.Equal(32, job.Token.Length); // 128 random bits
    }

    [Fact]
    public void Unclaimed_jobs_are_forgotten_after_half_an_hour()
    {
        var clock = new ManualTimeProvider(Start);
        var jobs = new ExportJobs(clock);
        var old = jobs.Prepare(_owner, _account, Range);
        clock.Advance(ExportJobs.Unclaimed + TimeSpan.FromMinutes(1));
        jobs.Prepare(_owner, _account, Range);
        Assert.Null(jobs.Find(old.Token));
        Assert.Equal(1, jobs.Count);
    }

    [Fact]
    public void Progress_notifications_are_throttled_but_state_changes_always_notify()
    {
        var job = _jobs.Prepare(_owner, _account, Range);
        var notifications = 0;
        job.Changed += _ => Interlocked.Increment(ref notifications);
        _jobs.Claim(job.Token, _owner, _account);
        Assert.Equal(1, notifications);
        for (var i = 1; i <= 100_000; i++) job.Report(new ExportProgress("Consumptions", i, 100_000));
        Assert.InRange(notifications, 2, 10); // a burst of reports makes one notification, not a hundred thousand
        Assert.Equal(100_000, job.Progress.RowsWritten);
        var before = notifications;
        job.Finish(ExportJobState.Completed);
        Assert.Equal(before + 1, notifications);
    }

    private async Task<ReportAccount?> Account() => await new ReportQueries(_h.Database.Portal).GetAccountAsync(_account);

    private Tracked Http(Stream body, CancellationToken aborted = default, string query = "")
    {
        var services = new ServiceCollection().AddSingleton(_jobs)
            .AddSingleton(new ExportLimits(Microsoft.Extensions.Options.Options.Create(new ExportOptions()))).BuildServiceProvider();
        var lifetime = new Lifetime { RequestAborted = aborted };
        var context = new DefaultHttpContext { RequestServices = services, User = _owner };
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        context.Response.Body = body;
        context.Request.QueryString = new QueryString(string.IsNullOrEmpty(query) ? null : query);
        return new Tracked(context, body as ForwardOnlyStream ?? (body as CallbackStream)?.Inner!, lifetime);
    }

    private sealed class Lifetime : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }
        public bool Aborted { get; private set; }
        public void Abort() => Aborted = true;
    }

    /// <summary>A request and what became of it: <see cref="Aborted"/> is read after the request ran.</summary>
    private sealed record Tracked(DefaultHttpContext Context, ForwardOnlyStream Body, Lifetime Lifetime)
    {
        public bool Aborted => Lifetime.Aborted;
    }

    /// <summary>Passes writes on and calls back after each, like a user reacting while the download runs.</summary>
    private sealed class CallbackStream(ForwardOnlyStream inner, Action afterWrite) : Stream
    {
        public ForwardOnlyStream Inner => inner;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            afterWrite();
        }
    }
}
