using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// Sends land in the local day, ISO week and month of the account's time zone, at local midnight and across the
/// nights the clocks change (Europe/Rome: forward on 29 March 2026, back on 25 October 2026).
/// </summary>
public sealed class ReportBucketingTests
{
    private static async Task<(LedgerHarness H, long Account, long List, ReportQueries Reports)> StartAsync(DateTimeOffset start, string zone = "Europe/Rome")
    {
        var h = LedgerHarness.Start(start);
        var account = await h.CreateAccountAsync("Zone Co", zone);
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        await h.BuyAsync(account, "email-10000");
        return (h, account, list, new ReportQueries(h.Database.Portal));
    }

    private static async Task SendAtAsync(LedgerHarness h, long account, long list, DateTimeOffset utc, long quantity)
    {
        await h.AdvanceToAsync(utc);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(account, list, quantity)).Status);
    }

    private static Dictionary<string, long> CreditsByPeriod(UsageReport report) =>
        report.ByList.GroupBy(r => r.Period.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Credits));

    [Fact]
    public async Task Spring_forward_sends_at_2330_and_0030_land_on_their_local_days_and_iso_weeks()
    {
        var (h, account, list, reports) = await StartAsync(new DateTimeOffset(2026, 3, 20, 8, 0, 0, TimeSpan.Zero));
        await using var _ = h;
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero), 1);   // Sat 28 Mar 23:30 +01:00
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero), 10);  // Sun 29 Mar 00:30 +01:00
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 3, 29, 21, 30, 0, TimeSpan.Zero), 100); // Sun 29 Mar 23:30 +02:00
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 3, 29, 22, 30, 0, TimeSpan.Zero), 1000); // Mon 30 Mar 00:30 +02:00

        var range = (From: new DateOnly(2026, 3, 23), To: new DateOnly(2026, 4, 5));
        var days = CreditsByPeriod((await reports.GetUsageAsync(account, new ReportRange(range.From, range.To, ReportGrouping.Day)))!);
        Assert.Equal(new Dictionary<string, long> { ["2026-03-28"] = 1, ["2026-03-29"] = 110, ["2026-03-30"] = 1000 }, days);

        var weeks = CreditsByPeriod((await reports.GetUsageAsync(account, new ReportRange(range.From, range.To, ReportGrouping.Week)))!);
        Assert.Equal(new Dictionary<string, long> { ["2026-W13"] = 111, ["2026-W14"] = 1000 }, weeks);

        // The 23-hour day's drill-down starts and ends at its local midnights.
        var sunday = await reports.GetConsumptionsAsync(account, new ConsumptionQuery(new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29)), 0, 10);
        Assert.Equal([10L, 100L], sunday.Items.Select(c => c.Messages));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Fall_back_the_25_hour_day_keeps_both_passes_of_the_repeated_hour()
    {
        var (h, account, list, reports) = await StartAsync(new DateTimeOffset(2026, 10, 20, 8, 0, 0, TimeSpan.Zero));
        await using var _ = h;
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 24, 21, 30, 0, TimeSpan.Zero), 1);    // Sat 24 Oct 23:30 +02:00
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 24, 22, 30, 0, TimeSpan.Zero), 10);   // Sun 25 Oct 00:30 +02:00
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), 20);    // 02:30 +02:00 (first pass)
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero), 40);    // 02:30 +01:00 (second pass)
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 25, 22, 30, 0, TimeSpan.Zero), 100);  // Sun 25 Oct 23:30 +01:00
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 25, 23, 30, 0, TimeSpan.Zero), 1000); // Mon 26 Oct 00:30 +01:00

        var days = CreditsByPeriod((await reports.GetUsageAsync(account,
            new ReportRange(new DateOnly(2026, 10, 24), new DateOnly(2026, 10, 26), ReportGrouping.Day)))!);
        Assert.Equal(new Dictionary<string, long> { ["2026-10-24"] = 1, ["2026-10-25"] = 170, ["2026-10-26"] = 1000 }, days);

        var sunday = await reports.GetConsumptionsAsync(account, new ConsumptionQuery(new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 25)), 0, 10);
        Assert.Equal([10L, 20L, 40L, 100L], sunday.Items.Select(c => c.Messages));
        Assert.Equal(170, sunday.Items.Sum(c => c.CreditsDrawn));
    }

    [Fact]
    public async Task Months_split_at_local_midnight_not_at_utc_midnight()
    {
        var (h, account, list, reports) = await StartAsync(new DateTimeOffset(2026, 10, 28, 8, 0, 0, TimeSpan.Zero));
        await using var _ = h;
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 31, 22, 30, 0, TimeSpan.Zero), 7);  // 31 Oct 23:30 in Rome
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero), 70); // 1 Nov 00:30 in Rome, still 31 Oct UTC

        var months = CreditsByPeriod((await reports.GetUsageAsync(account,
            new ReportRange(new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 30), ReportGrouping.Month)))!);
        Assert.Equal(new Dictionary<string, long> { ["2026-10"] = 7, ["2026-11"] = 70 }, months);
    }

    [Fact]
    public async Task An_account_west_of_utc_keeps_an_evening_send_in_its_own_month_and_week()
    {
        var (h, account, list, reports) = await StartAsync(new DateTimeOffset(2026, 10, 28, 8, 0, 0, TimeSpan.Zero), "America/New_York");
        await using var _ = h;
        await SendAtAsync(h, account, list, new DateTimeOffset(2026, 11, 1, 3, 30, 0, TimeSpan.Zero), 5); // Sat 31 Oct 23:30 EDT, 1 Nov in UTC

        var range = new ReportRange(new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 30), ReportGrouping.Month);
        Assert.Equal(new Dictionary<string, long> { ["2026-10"] = 5 }, CreditsByPeriod((await reports.GetUsageAsync(account, range))!));
        Assert.Equal(new Dictionary<string, long> { ["2026-W44"] = 5 },
            CreditsByPeriod((await reports.GetUsageAsync(account, range.WithGrouping(ReportGrouping.Week)))!));
        var october31 = await reports.GetConsumptionsAsync(account, new ConsumptionQuery(new DateOnly(2026, 10, 31), new DateOnly(2026, 10, 31)), 0, 10);
        Assert.Equal(5, october31.Items.Single().Messages);
        var november1 = await reports.GetConsumptionsAsync(account, new ConsumptionQuery(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1)), 0, 10);
        Assert.Empty(november1.Items);
    }
}
