using System.Globalization;
using System.Text;
using CreditPortal.Demo;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Rules;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Issue #17: the unusual-usage check tuned on the demo account's thirteen months (docs/domain.md §6, "how factor and
/// floor were chosen"). The history is recorded through the ledger as the first start of the app records it, then the
/// real check runs over every hour of it with the defaults of appsettings.json: it must not alert once. The figures it
/// saw (hours, ratios to the median, the largest hours that reached 5 × their median) are written to the test output;
/// the floors are above the largest of those with a margin. Then a leaked key sends ten times the newsletter's usual
/// hour, and the check names that key and that list.
/// </summary>
public sealed class UnusualUsageTuningTests(ITestOutputHelper output)
{
    public static TheoryData<string> Nows => new()
    {
        "2026-11-20T09:00:00Z",     // the instant the browser tests seed the demo at
        "2027-03-31T22:30:00Z",     // another year of the demo: 13 months to the end of March 2027
    };

    [Theory]
    [MemberData(nameof(Nows))]
    public async Task The_demo_history_never_alerts_and_a_leaked_key_sending_ten_times_the_usual_does(string nowText)
    {
        var now = DateTimeOffset.Parse(nowText, CultureInfo.InvariantCulture);
        await using var h = LedgerHarness.StartWithUnusualUsage(now);
        var options = h.UnusualUsage.Options;
        var demo = await DemoHistory.RecordAsync(h.Services, now);
        var account = demo.AccountId;
        await using var db = h.Db();
        var created = await db.Accounts.Where(a => a.Id == account).Select(a => a.CreatedAt).SingleAsync();

        // Every hour of the thirteen months, through the check the scheduler runs.
        var seen = new List<UsageHour>();
        var raised = 0;
        for (var hour = UnusualUsage.HourStart(created); hour + UnusualUsage.Hour <= now; hour += UnusualUsage.Hour)
        {
            seen.AddRange(await h.UnusualUsage.EvaluateAsync(hour, belowFloor: true));
            raised += await h.UnusualUsage.CheckHourAsync(hour);
        }
        output.WriteLine(Describe(seen, options));
        Assert.Equal(0, raised);
        Assert.Empty(await db.Alerts.Where(a => a.AccountId == account && a.Kind == AlertKind.UnusualUsage).ToListAsync());
        Assert.True(seen.Count(s => s.Channel == Channel.Email) > 300, "the demo's email hours");
        Assert.True(seen.Count(s => s.Channel == Channel.Sms) > 30, "the demo's SMS hours");
        // The margin: the largest ordinary hour that reached 5 × its median stays well under the floor (docs/domain.md §6).
        foreach (var channel in new[] { Channel.Email, Channel.Sms })
        {
            var largest = seen.Where(s => s.Channel == channel && s.Weeks > 0 && s.Credits >= options.Factor * s.Median).Max(s => (long?)s.Credits) ?? 0;
            Assert.True(largest * 1.5 <= options.FloorOf(channel), $"{channel}: an ordinary hour of {largest} credits reached 5 × its median");
        }

        // A leaked key: the newsletter's key sends ten times the newsletter's usual Tuesday 10:00 hour.
        var calendar = new CreditPortal.Clock.AccountCalendar(DemoHistory.TimeZone);
        var tuesday = calendar.LocalDate(now).AddDays(1);
        while (tuesday.DayOfWeek != DayOfWeek.Tuesday) tuesday = tuesday.AddDays(1);
        var hourStart = calendar.ToInstant(tuesday.ToDateTime(new TimeOnly(10, 0)));
        var usual = UnusualUsage.Median(await h.Services.GetRequiredServiceOf<UnusualUsageReader>().HourlyCreditsAsync(account, Channel.Email,
            UnusualUsage.SameHourOfWeek(hourStart, calendar, options.Weeks, created)));
        Assert.True(usual > 3_000, $"the newsletter's usual hour: {usual}");
        var burst = (long)(10 * usual);
        var key = await db.ApiKeys.SingleAsync(k => k.AccountId == account && k.Name == "Newsletter engine");
        var list = await db.Lists.SingleAsync(l => l.AccountId == account && l.Name == DemoLists.Newsletter);
        await h.Ledger.GrantAdjustmentAsync(account, Channel.Email, burst, null, "room for the test's burst", LedgerHarness.SupportAgent);

        await h.AdvanceToAsync(hourStart.AddMinutes(20));
        var sent = await h.Ledger.ConsumeAsync(account, new ConsumptionRequest(Channel.Email, list.Id, burst, null, "not ours", "leaked-1"),
            Actor.ApiKey(key.Name, key.Id));
        Assert.Equal(ConsumptionStatus.Accepted, sent.Status);
        await h.AdvanceToAsync(hourStart.AddMinutes(70));

        var alert = Assert.Single(await db.Alerts.Where(a => a.AccountId == account && a.Kind == AlertKind.UnusualUsage).ToListAsync());
        output.WriteLine(alert.Detail);
        Assert.Equal(Channel.Email, alert.Channel);
        Assert.Equal(hourStart + UnusualUsage.Hour, alert.At);
        var credits = CreditPortal.Formatting.PortalFormat.Credits(burst);
        Assert.Contains($"Lists: Newsletter {credits}.", alert.Detail);
        Assert.Contains($"API keys: Newsletter engine {credits}.", alert.Detail);
        Assert.Contains("10.0 times the usual", alert.Detail);
        await h.AssertLedgerConsistentAsync();
    }

    /// <summary>What the replay saw, per channel: the figures docs/domain.md §6 quotes.</summary>
    private static string Describe(List<UsageHour> seen, UnusualUsageOptions options)
    {
        var text = new StringBuilder();
        foreach (var channel in new[] { Channel.Email, Channel.Sms })
        {
            var hours = seen.Where(s => s.Channel == channel).ToList();
            var compared = hours.Where(s => s.Weeks > 0).ToList();
            var ratios = compared.Where(s => s.Median > 0).Select(s => s.Credits / s.Median).Order().ToList();
            decimal P(double q) => ratios.Count == 0 ? 0 : ratios[(int)Math.Min(ratios.Count - 1, Math.Floor(q * ratios.Count))];
            text.AppendLine(CultureInfo.InvariantCulture, $"{channel}: {hours.Count} hours with sends, {compared.Count} with earlier weeks, "
                + $"{compared.Count(s => s.Median == 0)} of them with a median of 0; floor {options.FloorOf(channel)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  ratio to the median: p50 {P(0.5):0.00}, p90 {P(0.9):0.00}, p99 {P(0.99):0.00}, max {(ratios.Count > 0 ? ratios[^1] : 0):0.00}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  largest hour: {hours.Max(s => (long?)s.Credits)}; at or above 5 x the median (or a median of 0):");
            foreach (var s in compared.Where(s => s.Credits >= options.Factor * s.Median).OrderByDescending(s => s.Credits).Take(8))
                text.AppendLine(CultureInfo.InvariantCulture, $"    {s.Start:yyyy-MM-dd HH:mm}Z {s.Credits} credits, median {s.Median} over {s.Weeks} weeks");
        }
        return text.ToString();
    }
}

internal static class ServiceProviderExtensions
{
    public static T GetRequiredServiceOf<T>(this IServiceProvider services) where T : notnull
        => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(services);
}
