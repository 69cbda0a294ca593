using CreditPortal.Alerts;
using CreditPortal.Api;
using CreditPortal.Clock;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Rules;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Issue #17, the unusual-usage alert: the last full hour against the median of the same local hour of the week over the
/// last 8 weeks, at 5 × the median and the floor (both inclusive), naming the lists and API keys; weeks the account did
/// not exist are left out; daylight-saving changes compare local hours; a downtime's missed hours are checked once after
/// it; a burst is one alert (cool-down) and one mail. Every scenario runs on the harness's scheduler and real SQLite, and
/// ends with the ledger check.
/// </summary>
public sealed class UnusualUsageTests
{
    /// <summary>Monday 31 Aug 2026, 10:00 in Rome (CEST, UTC+2): the accounts are created then.</summary>
    private static readonly DateTimeOffset Start = new(2026, 8, 31, 8, 0, 0, TimeSpan.Zero);

    private static readonly AccountCalendar Rome = new("Europe/Rome");

    /// <summary>The Tuesday <paramref name="week"/> weeks after 1 Sep 2026 at a local time in Rome. Weeks 0–7 are in summer
    /// time (10:15 is 08:15 UTC); the clocks go back on 25 Oct, so week 8 (27 Oct) is in winter time (10:15 is 09:15 UTC).</summary>
    private static DateTimeOffset Tuesday(int week, int hour = 10, int minute = 15)
        => Rome.ToInstant(new DateTime(2026, 9, 1).AddDays(7 * week).Add(new TimeSpan(hour, minute, 0)));

    private sealed record Setup(LedgerHarness H, long Account, long Newsletter, long Shop, CreatedApiKey Engine, CreatedApiKey Backend);

    /// <summary>An account in Rome with two lists, two API keys and plenty of email credits that sends
    /// <paramref name="weekly"/> newsletters through the "Newsletter engine" key every Tuesday at 10:15 for
    /// <paramref name="weeks"/> weeks (weeks 0 … weeks − 1), the scheduler running every hour in between.</summary>
    private static async Task<Setup> WeeklyNewsletterAsync(LedgerHarness h, long weekly, int weeks = 8)
    {
        var account = await h.CreateAccountAsync("Weekly Co");
        var newsletter = await h.Ledger.CreateListAsync(account, "Newsletter", LedgerHarness.Owner);
        var shop = await h.Ledger.CreateListAsync(account, "Shop", LedgerHarness.Owner);
        var keys = h.Services.GetRequiredService<ApiKeyService>();
        var engine = await keys.CreateForAccountAsync(account, "Newsletter engine", LedgerHarness.Owner);
        var backend = await keys.CreateForAccountAsync(account, "Shop backend", LedgerHarness.Owner);
        await h.GrantAsync(account, 5_000_000);
        var setup = new Setup(h, account, newsletter, shop, engine, backend);
        for (var week = 0; week < weeks; week++)
        {
            await h.AdvanceToAsync(Tuesday(week));
            await SendAsync(setup, setup.Newsletter, weekly, setup.Engine);
        }
        return setup;
    }

    private static async Task SendAsync(Setup s, long list, long quantity, CreatedApiKey key)
    {
        var result = await s.H.Ledger.ConsumeAsync(s.Account, new ConsumptionRequest(Channel.Email, list, quantity, null, null, Guid.NewGuid().ToString("N")),
            key.Info.Actor);
        Assert.Equal(ConsumptionStatus.Accepted, result.Status);
    }

    private static async Task<List<Alert>> UnusualAsync(LedgerHarness h, long account)
    {
        await using var db = h.Db();
        return await db.Alerts.AsNoTracking().Where(a => a.AccountId == account && a.Kind == AlertKind.UnusualUsage).OrderBy(a => a.Id).ToListAsync();
    }

    private static void Floors(UnusualUsageOptions o, long email)
    {
        o.Floor.Email = email;
        o.Floor.Sms = email;
    }

    [Fact]
    public async Task An_hour_at_exactly_five_times_the_median_alerts_and_one_credit_less_does_not()
    {
        await using var h = LedgerHarness.StartWithUnusualUsage(Start, o => Floors(o, 1_000));
        var s = await WeeklyNewsletterAsync(h, 400);

        // Week 8: 1,999 credits against a median of 400 (five times is 2,000).
        await h.AdvanceToAsync(Tuesday(8));
        await SendAsync(s, s.Newsletter, 1_999, s.Engine);
        await h.AdvanceToAsync(Tuesday(8, 12, 0));
        Assert.Empty(await UnusualAsync(h, s.Account));

        // Week 9: weeks 1–8 are 400 × 7 and 1,999: the median is still 400, and 2,000 is exactly five times it.
        await h.AdvanceToAsync(Tuesday(9));
        await SendAsync(s, s.Newsletter, 1_200, s.Engine);
        await SendAsync(s, s.Shop, 500, s.Backend);
        await SendAsync(s, s.Newsletter, 300, s.Engine);
        await h.AdvanceToAsync(Tuesday(9, 11, 0));

        var alert = Assert.Single(await UnusualAsync(h, s.Account));
        Assert.Equal(Tuesday(9, 11, 0), alert.At); // the end of the hour it is about
        Assert.Equal(Channel.Email, alert.Channel);
        Assert.Equal("Unusual email use: 2,000 credits on 3 Nov 2026, 10:00–11:00, 5.0 times the usual 400 for this hour of the week "
            + "(median of the last 8 weeks). Lists: Newsletter 1,500, Shop 500. API keys: Newsletter engine 1,500, Shop backend 500.", alert.Detail);
        Assert.Equal("billing@acme.test", alert.Recipients);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_floor_holds_back_an_hour_far_above_a_quiet_usual_and_lets_it_through_at_exactly_the_floor()
    {
        await using var h = LedgerHarness.StartWithUnusualUsage(Start, o => Floors(o, 2_000));
        var s = await WeeklyNewsletterAsync(h, 100);

        await h.AdvanceToAsync(Tuesday(8));
        await SendAsync(s, s.Newsletter, 1_999, s.Engine); // 20 times the usual, one credit under the floor
        await h.AdvanceToAsync(Tuesday(9));
        Assert.Empty(await UnusualAsync(h, s.Account));

        await SendAsync(s, s.Newsletter, 2_000, s.Engine);
        await h.AdvanceToAsync(Tuesday(9, 11, 0));
        var alert = Assert.Single(await UnusualAsync(h, s.Account));
        Assert.StartsWith("Unusual email use: 2,000 credits on 3 Nov 2026, 10:00–11:00, 20.0 times the usual 100 ", alert.Detail);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_new_account_never_alerts_and_the_median_counts_only_the_weeks_the_account_existed()
    {
        await using var h = LedgerHarness.StartWithUnusualUsage(Start, o => Floors(o, 1_000));
        // No earlier week at all: 50,000 credits in the account's first Tuesday hour alert nothing.
        var s = await WeeklyNewsletterAsync(h, 50_000, weeks: 1);
        await h.AdvanceToAsync(Tuesday(0, 12, 0));
        Assert.Empty(await UnusualAsync(h, s.Account));
        Assert.Equal(0, (await h.UnusualUsage.EvaluateAsync(Tuesday(0, 10, 0), belowFloor: true)).Single().Weeks);

        // Weeks 1–3 send 400, and a week without the newsletter counts as 0 (it existed, it sent nothing then).
        foreach (var (week, credits) in new[] { (1, 400L), (2, 400L), (3, 400L) })
        {
            await h.AdvanceToAsync(Tuesday(week));
            await SendAsync(s, s.Newsletter, credits, s.Engine);
        }
        await h.AdvanceToAsync(Tuesday(5)); // week 4 sends nothing

        // Week 5 looks back on weeks 0–4 only (50,000, 400, 400, 400, 0): the median is 400, the 3 weeks before the account are left out.
        await SendAsync(s, s.Newsletter, 2_000, s.Engine);
        await h.AdvanceToAsync(Tuesday(5, 11, 0));
        var alert = Assert.Single(await UnusualAsync(h, s.Account));
        Assert.Contains("5.0 times the usual 400 for this hour of the week (median of the last 5 weeks)", alert.Detail);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_same_hour_of_the_week_is_the_local_hour_across_a_daylight_saving_change()
    {
        await using var h = LedgerHarness.StartWithUnusualUsage(Start, o => Floors(o, 1_000));
        var s = await WeeklyNewsletterAsync(h, 4_000); // eight Tuesdays at 10:15 summer time: 08:15 UTC

        // The clocks went back on 25 Oct: the ninth newsletter at 10:15 is 09:15 UTC, an hour of UTC that was always empty.
        await h.AdvanceToAsync(Tuesday(8));
        await SendAsync(s, s.Newsletter, 4_000, s.Engine);
        await h.AdvanceToAsync(Tuesday(8, 12, 0));

        Assert.Empty(await UnusualAsync(h, s.Account));
        var hour = Assert.Single(await h.UnusualUsage.EvaluateAsync(Tuesday(8, 10, 0), belowFloor: true));
        Assert.Equal((4_000L, 4_000m, 8, false), (hour.Credits, hour.Median, hour.Weeks, hour.Fires));
        Assert.Equal(new DateTimeOffset(2026, 10, 27, 9, 0, 0, TimeSpan.Zero), hour.Start);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public void Weeks_skipped_by_spring_forward_are_left_out_and_a_repeated_hour_is_its_first_occurrence()
    {
        // Tuesday 31 Mar 2026, 10:00 summer time (08:00 UTC): the Tuesdays before were in winter time (09:00 UTC).
        var weeks = UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero), Rome, 3, DateTimeOffset.MinValue);
        Assert.Equal([new(2026, 3, 24, 9, 0, 0, TimeSpan.Zero), new(2026, 3, 17, 9, 0, 0, TimeSpan.Zero), new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero)], weeks);

        // Sunday 5 Apr 2026, 02:00 (00:00 UTC): on 29 Mar 02:00–03:00 did not exist, so that week is left out.
        weeks = UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 4, 5, 0, 0, 0, TimeSpan.Zero), Rome, 2, DateTimeOffset.MinValue);
        Assert.Equal([new DateTimeOffset(2026, 3, 22, 1, 0, 0, TimeSpan.Zero)], weeks);

        // Sunday 1 Nov 2026, 02:00 winter time (01:00 UTC): on 25 Oct 02:00 happened twice; the first (00:00 UTC) counts.
        weeks = UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.Zero), Rome, 1, DateTimeOffset.MinValue);
        Assert.Equal([new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero)], weeks);

        // Both 02:00 hours of 25 Oct (00:00 and 01:00 UTC) are "Sunday 02:00": each is compared with the Sundays before.
        Assert.Equal(UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero), Rome, 2, DateTimeOffset.MinValue),
            UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero), Rome, 2, DateTimeOffset.MinValue));

        // A half-hour zone: the UTC hour 05:00–06:00 is 10:30–11:30 in Kolkata, and so are the weeks before.
        var kolkata = new AccountCalendar("Asia/Kolkata");
        Assert.Equal([new DateTimeOffset(2026, 3, 24, 5, 0, 0, TimeSpan.Zero)],
            UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 3, 31, 5, 0, 0, TimeSpan.Zero), kolkata, 1, DateTimeOffset.MinValue));

        // Weeks before the account was created are left out.
        Assert.Single(UnusualUsage.SameHourOfWeek(new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero), Rome, 8, new DateTimeOffset(2026, 3, 24, 9, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(new long[] { }, 0)]
    [InlineData(new long[] { 400 }, 400)]
    [InlineData(new long[] { 0, 0, 0, 2_400, 2_400, 2_400, 2_400, 0 }, 1_200)]
    [InlineData(new long[] { 0, 0, 0, 0, 0, 2_400, 2_400, 2_400 }, 0)]
    [InlineData(new long[] { 5, 1, 9 }, 5)]
    public void The_median_of_the_weeks(long[] hours, decimal median) => Assert.Equal(median, UnusualUsage.Median(hours));

    [Theory]
    [InlineData(2_000, 400, 8, 1_000, true)]
    [InlineData(1_999, 400, 8, 1_000, false)]
    [InlineData(2_000, 100, 8, 2_000, true)]
    [InlineData(1_999, 100, 8, 2_000, false)]
    [InlineData(2_000, 0, 8, 2_000, true)]
    [InlineData(1_000_000, 0, 0, 2_000, false)]
    public void Fires_at_the_factor_and_the_floor_inclusive(long credits, int median, int weeks, long floor, bool fires)
        => Assert.Equal(fires, UnusualUsage.Fires(credits, median, weeks, 5m, floor));

    [Theory]
    [InlineData("api-key:Shop backend (#3)", 3L)]
    [InlineData("api-key:odd (#name) (#12)", 12L)]
    [InlineData("owner:owner@example.test", null)]
    [InlineData("support-key:ops (#4)", null)]
    [InlineData("api-key:broken (#x)", null)]
    public void The_api_key_of_a_send_is_read_from_its_actor(string actor, long? id) => Assert.Equal(id, UnusualUsage.ApiKeyId(actor));

    [Fact]
    public async Task After_a_downtime_the_missed_hours_are_checked_once_and_a_burst_of_several_hours_is_one_alert_and_one_mail()
    {
        await using var h = LedgerHarness.StartWithUnusualUsage(Start, o => Floors(o, 1_000));
        var s = await WeeklyNewsletterAsync(h, 400);

        // A leaked key sends 5,000 at 10:15 and 6,000 at 11:20; the process is down before its scheduler checks either hour.
        h.Clock.MoveTo(Tuesday(8));
        await SendAsync(s, s.Shop, 5_000, s.Backend);
        h.Clock.MoveTo(Tuesday(8, 11, 20));
        await SendAsync(s, s.Shop, 6_000, s.Backend);
        await h.RestartAsync();
        await h.AdvanceToAsync(Tuesday(8, 18, 0));

        // Both hours were checked after the restart; the first alerted, dated when its hour ended; the second is within the cool-down.
        var alert = Assert.Single(await UnusualAsync(h, s.Account));
        Assert.Equal(Tuesday(8, 11, 0), alert.At);
        Assert.Contains("5,000 credits on 27 Oct 2026, 10:00–11:00", alert.Detail);
        Assert.Contains("Lists: Shop 5,000. API keys: Shop backend 5,000.", alert.Detail);
        var second = await h.UnusualUsage.EvaluateAsync(Tuesday(8, 11, 0), belowFloor: false);
        Assert.True(Assert.Single(second).Fires);

        // Again after another restart, and the hour checked again by hand: nothing more.
        await h.RestartAsync();
        await h.AdvanceToAsync(Tuesday(8, 19, 0));
        Assert.Equal(0, await h.UnusualUsage.CheckHourAsync(Tuesday(8, 10, 0)));
        Assert.Single(await UnusualAsync(h, s.Account));

        // Mailed once, however often the mailer runs.
        var mailer = h.Services.GetRequiredService<AlertMailer>();
        await mailer.DeliverPendingAsync(default);
        await mailer.DeliverPendingAsync(default);
        var mails = Directory.GetFiles(h.Database.Folder, $"alert-{alert.Id}.eml", SearchOption.AllDirectories);
        Assert.Single(mails);
        var mail = await MimeKit.MimeMessage.LoadAsync(mails[0]);
        Assert.Equal("Weekly Co: unusual Email use in the last hour", mail.Subject);
        Assert.Equal(alert.Detail, mail.TextBody.Trim());
        Assert.NotNull((await UnusualAsync(h, s.Account)).Single().DeliveredAt);

        // After the cool-down (6 hours) the same wallet can alert again.
        await h.AdvanceToAsync(Tuesday(8, 19, 10));
        await SendAsync(s, s.Shop, 5_000, s.Backend);
        await h.AdvanceToAsync(Tuesday(8, 20, 30));
        Assert.Equal(2, (await UnusualAsync(h, s.Account)).Count);
        Assert.Single(Directory.GetFiles(h.Database.Folder, "*.eml", SearchOption.AllDirectories));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_alert_is_raised_once_per_wallet_and_hour_whoever_checks_it()
    {
        await using var h = LedgerHarness.StartWithUnusualUsage(Start, o => Floors(o, 1_000));
        var s = await WeeklyNewsletterAsync(h, 400);
        h.Clock.MoveTo(Tuesday(8));
        await SendAsync(s, s.Newsletter, 9_000, s.Engine);
        h.Clock.MoveTo(Tuesday(8, 11, 0));

        var hour = Tuesday(8, 10, 0);
        Assert.Equal(1, await h.UnusualUsage.CheckHourAsync(hour));
        // A second instance's check of the same hour (its own work over the same database), and the scheduler's own.
        await using (var other = LedgerHarness.Beside(h))
            Assert.Equal(0, await other.UnusualUsage.CheckHourAsync(hour));
        await h.AdvanceToAsync(Tuesday(8, 12, 0));
        Assert.False(await h.Writer.RunAsync(x => RaiseUnusualUsage.Execute(x, s.Account, Channel.Email, hour, TimeSpan.Zero, "again")));
        Assert.Single(await UnusualAsync(h, s.Account));
        await h.AssertLedgerConsistentAsync();
    }
}
