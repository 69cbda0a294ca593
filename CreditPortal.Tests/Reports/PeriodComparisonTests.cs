using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Reports;

/// <summary>This period against the previous one: which period that is, and sums that agree with the ledger's own entries.</summary>
public sealed class PeriodComparisonTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28")] // a whole month: the whole month before
    [InlineData("2026-03-01", "2026-03-12", "2026-02-01", "2026-02-12")] // month to date: the same days a month earlier
    [InlineData("2026-03-01", "2026-03-30", "2026-02-01", "2026-02-28")] // February has no 29th or 30th in 2026
    [InlineData("2028-03-01", "2028-03-31", "2028-02-01", "2028-02-29")] // ... and a 29th in 2028
    [InlineData("2028-02-01", "2028-02-29", "2028-01-01", "2028-01-31")] // all of a leap February: all of January
    [InlineData("2028-02-29", "2028-02-29", "2028-02-28", "2028-02-28")] // 29 February alone: the day before
    [InlineData("2026-01-01", "2026-03-31", "2025-10-01", "2025-12-31")] // a quarter: the quarter before, across the year
    [InlineData("2026-03-09", "2026-03-15", "2026-03-02", "2026-03-08")] // an ISO week, Monday to Sunday: the week before
    [InlineData("2026-03-10", "2026-03-16", "2026-03-03", "2026-03-09")] // any seven days: the seven days before
    [InlineData("2026-01-05", "2026-01-20", "2025-12-20", "2026-01-04")] // sixteen days across New Year
    public void The_previous_period_is_the_one_just_before_of_the_same_kind(string from, string to, string previousFrom, string previousTo)
    {
        var range = new ReportRange(DateOnly.Parse(from), DateOnly.Parse(to));
        Assert.Equal((DateOnly.Parse(previousFrom), DateOnly.Parse(previousTo)), range.PreviousPeriod());
    }

    [Theory]
    [InlineData(100, 150, "50")]
    [InlineData(200, 50, "-75")]
    [InlineData(10, 0, "-100")]
    [InlineData(3, 4, "33.333333333")]
    [InlineData(3, 2, "-33.333333333")]
    public void The_change_is_a_percentage_of_the_previous_period(long before, long now, string expected)
        => Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Math.Round(ComparisonRow.Change(before, now)!.Value, 9));

    [Theory]
    [InlineData(100, 150, "+50.0%")]
    [InlineData(3, 4, "+33.3%")]
    [InlineData(200, 50, "\u221275.0%")]
    [InlineData(100_000, 99_999, "0.0%")]
    [InlineData(7, 7, "0.0%")]
    [InlineData(0, 12, "new")]
    [InlineData(0, 0, "\u2013")]
    [InlineData(1_000, 3_501_000, "+350,000.0%")]
    public void The_page_shows_the_change_with_its_sign_and_one_decimal(long before, long now, string shown)
        => Assert.Equal(shown, CreditPortal.Formatting.PortalFormat.Change(before, now));

    [Fact]
    public void Nothing_before_is_no_percentage_rather_than_a_division_by_zero()
    {
        var row = new ComparisonRow(1, "New list", Channel.Email, 500, 0, 20, 0);
        Assert.Null(row.CreditsChange);
        Assert.Null(row.MessagesChange);
        Assert.Null(ComparisonRow.Change(0, 0));
    }

    [Fact]
    public async Task April_against_March_per_list_equals_the_ledgers_consumption_entries_of_each_local_month()
    {
        await using var h = LedgerHarness.Start(ReportScenario.Start);
        var s = await ReportScenario.BuildAsync(h);
        var reports = new ReportQueries(h.Database.Portal);

        var comparison = (await reports.GetComparisonAsync(s.AccountId, new ReportRange(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30))))!;

        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), (comparison.PreviousFrom, comparison.PreviousTo));
        var rome = new AccountCalendar("Europe/Rome");
        await using var db = h.Db();
        var entries = await db.LedgerEntries.Where(e => e.AccountId == s.AccountId && e.Kind == LedgerEntryKind.Consumption).ToListAsync();
        long Drawn(long list, Channel channel, int month) => -entries
            .Where(e => e.ListId == list && e.Channel == channel && rome.LocalDate(e.At).Month == month).Sum(e => e.Quantity);

        Assert.NotEmpty(comparison.ByList);
        foreach (var row in comparison.ByList)
        {
            Assert.Equal(Drawn(row.ListId, row.Channel, 4), row.Credits);
            Assert.Equal(Drawn(row.ListId, row.Channel, 3), row.PreviousCredits);
        }
        // Every list and channel that drew anything in either month is there, the March-only ones at 0 now.
        var drew = entries.Where(e => rome.LocalDate(e.At).Month is 3 or 4).Select(e => (e.ListId!.Value, e.Channel)).Distinct().ToHashSet();
        Assert.Equal(drew, comparison.ByList.Select(r => (r.ListId, r.Channel)).ToHashSet());
        var transactionalSms = comparison.ByList.Single(r => r.ListId == s.Transactional && r.Channel == Channel.Sms);
        Assert.Equal((0L, -100m), (transactionalSms.Credits, transactionalSms.CreditsChange));
        var newsletter = comparison.ByList.Single(r => r.ListId == s.Newsletter && r.Channel == Channel.Email);
        Assert.Equal(ComparisonRow.Change(newsletter.PreviousCredits, newsletter.Credits), newsletter.CreditsChange);
        Assert.True(newsletter.CreditsChange < 0);

        foreach (var channel in comparison.ByChannel)
        {
            Assert.Equal(comparison.ByList.Where(r => r.Channel == channel.Channel).Sum(r => r.Credits), channel.Credits);
            Assert.Equal(-entries.Where(e => e.Channel == channel.Channel && rome.LocalDate(e.At).Month == 3).Sum(e => e.Quantity), channel.PreviousCredits);
        }
    }

    [Fact]
    public async Task A_first_month_compares_with_an_empty_one_without_a_percentage()
    {
        await using var h = LedgerHarness.Start(ReportScenario.Start);
        var s = await ReportScenario.BuildAsync(h);
        var reports = new ReportQueries(h.Database.Portal);

        var comparison = (await reports.GetComparisonAsync(s.AccountId, new ReportRange(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31))))!;

        Assert.Equal((new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)), (comparison.PreviousFrom, comparison.PreviousTo));
        Assert.NotEmpty(comparison.ByList);
        Assert.All(comparison.ByList.Concat(comparison.ByChannel), r => Assert.Equal((0L, 0L, null, null),
            (r.PreviousCredits, r.PreviousMessages, r.CreditsChange, r.MessagesChange)));
        Assert.Null(await reports.GetComparisonAsync(9_999, new ReportRange(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31))));
    }

    [Fact]
    public async Task Sends_either_side_of_local_midnight_at_a_month_end_after_the_clocks_went_forward_count_in_their_local_month()
    {
        // 31 March in Rome is UTC+2 (summer time since the 29th): 21:30 UTC is 23:30 on the 31st, 22:30 UTC is 00:30 on 1 April.
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 3, 31, 21, 30, 0, TimeSpan.Zero));
        var account = await h.CreateAccountAsync("Midnight Mail", "Europe/Rome");
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        await h.GrantAsync(account, 10_000);
        await h.SendAsync(account, list, 70);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero));
        await h.SendAsync(account, list, 105);
        var reports = new ReportQueries(h.Database.Portal);

        var april = (await reports.GetComparisonAsync(account, new ReportRange(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30))))!;
        var row = april.ByList.Single();
        Assert.Equal((105L, 70L, 50m), (row.Credits, row.PreviousCredits, row.CreditsChange));

        // A New York account: 04:30 UTC on 1 April is still 31 March there (UTC-4).
        var west = await h.CreateAccountAsync("West Mail", "America/New_York");
        var westList = await h.Ledger.CreateListAsync(west, "News", LedgerHarness.Owner);
        await h.GrantAsync(west, 10_000);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 4, 1, 3, 30, 0, TimeSpan.Zero));
        await h.SendAsync(west, westList, 40);
        var westApril = (await reports.GetComparisonAsync(west, new ReportRange(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 30))))!;
        Assert.Equal((0L, 40L, -100m), (westApril.ByList.Single().Credits, westApril.ByList.Single().PreviousCredits, westApril.ByList.Single().CreditsChange));
    }
}
