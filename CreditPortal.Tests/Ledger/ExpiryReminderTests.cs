using CreditPortal.Alerts;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Issue #17, expiry reminders: an <c>ExpiringSoon</c> alert 30 and 7 days before a lot with credits left expires, once
/// per lot and threshold, on the injected clock through the scheduler's due work (catching up after downtime), with the
/// forecast's rate, in the account's zone, to the billing contacts (the outbox the mailer delivers from).
/// </summary>
public sealed class ExpiryReminderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>00:00 on 1 Jan 2027 in Rome (UTC+1): in UTC still 31 Dec.</summary>
    private static readonly DateTimeOffset NewYearInRome = new(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset ThirtyDaysBefore = NewYearInRome.AddDays(-30);
    private static readonly DateTimeOffset SevenDaysBefore = NewYearInRome.AddDays(-7);

    private static async Task<List<AlertView>> Reminders(LedgerHarness h, long account)
        => (await h.Queries.GetAlertsAsync(account)).Items.Where(a => a.Kind == AlertKind.ExpiringSoon).OrderBy(a => a.Id).ToList();

    /// <summary>An account in Rome with 2,750 SMS credits expiring at 00:00 on 1 Jan 2027, 300 of which were sent today.</summary>
    private static async Task<(long Account, long List)> SmsExpiringAtNewYear(LedgerHarness h, string timeZone = "Europe/Rome")
    {
        var account = await h.CreateAccountAsync(timeZone: timeZone);
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        await h.GrantAsync(account, 2_750, NewYearInRome, Channel.Sms);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(account, list, 300, Channel.Sms, "IT")).Status);
        return (account, list);
    }

    [Fact]
    public async Task Both_thresholds_remind_once_each_with_the_forecast_rate()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, _) = await SmsExpiringAtNewYear(h);

        await h.AdvanceToAsync(ThirtyDaysBefore.AddMinutes(-1));
        Assert.Empty(await Reminders(h, account));

        await h.AdvanceToAsync(ThirtyDaysBefore);
        var first = Assert.Single(await Reminders(h, account));
        Assert.Equal(ThirtyDaysBefore, first.At);
        Assert.Equal(Channel.Sms, first.Channel);
        // 300 credits over the last 30 local days: 10 a day, for the 30 days left.
        Assert.Equal("2,450 SMS credits expire on 1 Jan 2027; at your current rate you will use 300 of them.", first.Detail);

        await h.AdvanceToAsync(SevenDaysBefore.AddMinutes(-1));
        Assert.Single(await Reminders(h, account));

        await h.AdvanceToAsync(SevenDaysBefore);
        var reminders = await Reminders(h, account);
        Assert.Equal(2, reminders.Count);
        Assert.Equal(SevenDaysBefore, reminders[1].At);
        // The 300 were sent more than 30 days before: no rate any more.
        Assert.Equal("2,450 SMS credits expire on 1 Jan 2027; nothing was spent in the last 30 days, so at that rate none of them will be used.",
            reminders[1].Detail);

        await h.AdvanceToAsync(NewYearInRome.AddDays(1)); // the lot expires: nothing more to remind of
        Assert.Equal(2, (await Reminders(h, account)).Count);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_reminder_goes_out_once_also_across_restarts_and_to_the_billing_contacts()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, list) = await SmsExpiringAtNewYear(h);
        await h.AdvanceToAsync(ThirtyDaysBefore.AddHours(1));
        Assert.Single(await Reminders(h, account));

        await h.RestartAsync();
        await h.Scheduler.RunDueAsync();
        await h.SendAsync(account, list, 1, Channel.Sms, "IT"); // a command on the account runs its due events too
        await h.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Single(await Reminders(h, account));

        await using var db = h.Db();
        var alert = await db.Alerts.SingleAsync(a => a.AccountId == account && a.Kind == AlertKind.ExpiringSoon);
        Assert.Equal("billing@acme.test", alert.Recipients);
        Assert.Null(alert.DeliveredAt); // waiting in the outbox for the mailer, like every alert
        Assert.Equal("Acme: Sms credits expire soon", AlertMessage.Subject(alert, "Acme"));
        Assert.Equal(1, await db.ScheduledEvents.CountAsync(e => e.Key.StartsWith("remind:lot:")));
    }

    [Fact]
    public async Task After_downtime_over_one_threshold_its_reminder_runs_late_dated_at_its_due_time()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, _) = await SmsExpiringAtNewYear(h);

        await h.RestartAsync(); // down from before the 30-day instant until 3 days after it
        h.Clock.MoveTo(ThirtyDaysBefore.AddDays(3));
        await h.Scheduler.RunDueAsync();

        var reminder = Assert.Single(await Reminders(h, account));
        Assert.Equal(ThirtyDaysBefore, reminder.At);
    }

    [Fact]
    public async Task After_downtime_over_both_thresholds_only_the_nearest_reminds()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, _) = await SmsExpiringAtNewYear(h);

        await h.RestartAsync();
        h.Clock.MoveTo(SevenDaysBefore.AddDays(2));
        await h.Scheduler.RunDueAsync();

        var reminder = Assert.Single(await Reminders(h, account));
        Assert.Equal(SevenDaysBefore, reminder.At);
        Assert.StartsWith("2,450 SMS credits expire on 1 Jan 2027", reminder.Detail);

        await h.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Single(await Reminders(h, account)); // the 30-day one counts as passed, not owed
    }

    [Fact]
    public async Task A_lot_used_up_before_its_reminder_gets_none()
    {
        await using var h = LedgerHarness.Start(Start);
        var account = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        await h.GrantAsync(account, 500, NewYearInRome, Channel.Sms);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(account, list, 500, Channel.Sms, "IT")).Status);

        await h.AdvanceToAsync(NewYearInRome.AddDays(1));
        Assert.Empty(await Reminders(h, account));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_lot_that_arrives_inside_the_30_days_gets_only_the_7_day_reminder()
    {
        await using var h = LedgerHarness.Start(Start);
        var account = await h.CreateAccountAsync();
        await h.GrantAsync(account, 1_000, Start.AddDays(10), Channel.Email);

        await h.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Empty(await Reminders(h, account));
        await h.AdvanceToAsync(Start.AddDays(3));
        var reminder = Assert.Single(await Reminders(h, account));
        Assert.Equal(Start.AddDays(3), reminder.At);
        // 09:00 UTC is 10:00 in Rome: not a midnight expiry, so the time is said too.
        Assert.Equal("1,000 email credits expire on 20 Nov 2026, 10:00; nothing was spent in the last 30 days, so at that rate none of them will be used.",
            reminder.Detail);
    }

    [Fact]
    public async Task Free_monthly_credits_are_not_reminded_of()
    {
        await using var h = LedgerHarness.Start(Start);
        var account = await h.CreateAccountAsync("Acme", "Europe/Rome", "Ticketing");
        await h.AdvanceToAsync(Start.AddDays(65)); // two month starts: each free lot expired and was replaced
        Assert.Empty(await Reminders(h, account));
    }

    [Fact]
    public async Task The_date_is_the_account_zone_s()
    {
        await using var h = LedgerHarness.Start(Start);
        var account = await h.CreateAccountAsync(timeZone: "America/New_York");
        var midnightInNewYork = new DateTimeOffset(2027, 1, 1, 5, 0, 0, TimeSpan.Zero); // 00:00 EST; 06:00 in Rome
        await h.GrantAsync(account, 2_750, midnightInNewYork, Channel.Sms);

        await h.AdvanceToAsync(midnightInNewYork.AddDays(-30));
        var reminder = Assert.Single(await Reminders(h, account));
        Assert.Equal("2,750 SMS credits expire on 1 Jan 2027; nothing was spent in the last 30 days, so at that rate none of them will be used.",
            reminder.Detail);
    }

    [Fact]
    public async Task Lots_that_expire_together_are_one_reminder_and_a_moved_expiry_is_reminded_of_again()
    {
        await using var h = LedgerHarness.Start(Start);
        var account = await h.CreateAccountAsync();
        await h.GrantAsync(account, 1_000, NewYearInRome, Channel.Sms);
        await h.GrantAsync(account, 1_750, NewYearInRome, Channel.Sms);

        await h.AdvanceToAsync(ThirtyDaysBefore);
        var reminder = Assert.Single(await Reminders(h, account));
        Assert.StartsWith("2,750 SMS credits expire on 1 Jan 2027", reminder.Detail);

        // R3: a new SMS pack moves both expiries 24 months on; the new date has reminders of its own, not yet due.
        Assert.Equal(OrderStatus.Paid, (await h.BuyAsync(account, "sms-1000")).Status);
        await h.AdvanceToAsync(SevenDaysBefore.AddDays(1));
        Assert.Single(await Reminders(h, account));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_will_use_figure_walks_the_lots_in_R1_order()
    {
        var now = Start;
        var lots = new List<(long, long, DateTimeOffset?)>
        {
            (1, 100, null),                 // never expires: spent first, 10 days at 10 a day
            (2, 500, now.AddDays(30)),      // then 20 days are left of its 30: 200 of it
            (3, 500, now.AddDays(60)),      // reached on day 30, spends 300 in the 30 days left
        };
        Assert.Equal(200, ExpiryReminders.UsedBeforeExpiry(lots, 2, 10m, now));
        Assert.Equal(300, ExpiryReminders.UsedBeforeExpiry(lots, 3, 10m, now));
        Assert.Equal(0, ExpiryReminders.UsedBeforeExpiry(lots, 2, 0m, now));
        Assert.Equal([30, 7], ExpiryReminders.Thresholds([7, 30, 0, 7]));
    }
}
