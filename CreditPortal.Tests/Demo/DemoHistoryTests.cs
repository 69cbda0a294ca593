using System.Globalization;
using System.Text.Json.Nodes;
using CreditPortal.Clock;
using CreditPortal.Demo;
using CreditPortal.Ledger;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Demo;

/// <summary>The real app in-process with <c>Demo:Seed=true</c> on a manual clock at <paramref name="now"/>, over a database the
/// test owns (so that it can start the app on it twice).</summary>
public sealed class DemoSeedApp(TempDatabase database, DateTimeOffset now) : ApiTestApp(database, ownsDatabase: false)
{
    protected override DateTimeOffset ClockStart => now;
    protected override bool DemoSeed => true;

    /// <summary>Starts the app (and so the seed) and waits until it serves.</summary>
    public async Task<DemoSeedApp> StartedAsync()
    {
        using var client = CreateClient();
        Assert.True((await client.GetAsync("health")).IsSuccessStatusCode);
        return this;
    }
}

/// <summary>
/// The demo account's thirteen months (issue #10, item 6): recorded through the ledger, so the ledger
/// check passes; every event the story promises is in the database; a second start adds nothing; and the numbers
/// the app answers on its first start are the ledger's. Every assertion reads the database or the API, never the
/// seed's own plan.
/// </summary>
public sealed class DemoHistoryTests
{
    public static TheoryData<string> Nows => new()
    {
        "2026-11-20T09:00:00Z",     // the instant the browser tests seed at
        "2027-03-31T22:30:00Z",     // 00:30 on 1 April in Rome: a month just started, three days after a DST change
        "2028-02-29T18:00:00Z",     // a leap day: 13 months earlier is 29 January 2027
    };

    [Theory]
    [MemberData(nameof(Nows))]
    public async Task The_history_passes_the_ledger_check_and_holds_every_event_of_the_story(string nowText)
    {
        var now = DateTimeOffset.Parse(nowText, CultureInfo.InvariantCulture);
        using var database = new TempDatabase("demo");
        await using var app = await new DemoSeedApp(database, now).StartedAsync();

        Assert.Empty(await app.Services.GetRequiredService<LedgerCheck>().RunAsync());

        await using var db = database.CreateContext();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Name == DemoOptions.AccountName);
        var id = account.Id;
        var calendar = new AccountCalendar(account.TimeZoneId);
        var today = calendar.LocalDate(now);
        var created = calendar.LocalDate(account.CreatedAt);
        Assert.Equal(today.AddMonths(-13), created);

        var lists = await db.Lists.AsNoTracking().Where(l => l.AccountId == id).ToDictionaryAsync(l => l.Id, l => l.Name);
        var consumptions = await db.Consumptions.AsNoTracking().Where(c => c.AccountId == id).ToListAsync();
        var accepted = consumptions.Where(c => c.Status == ConsumptionStatus.Accepted).ToList();
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == id).ToListAsync();
        var orders = await db.Orders.AsNoTracking().Where(o => o.AccountId == id).ToListAsync();
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.AccountId == id).ToListAsync();

        // Both channels send in every full month between the account's creation and now.
        var createdMonth = new DateOnly(created.Year, created.Month, 1);
        var currentMonth = new DateOnly(today.Year, today.Month, 1);
        foreach (var channel in new[] { Channel.Email, Channel.Sms })
        {
            var months = accepted.Where(c => c.Channel == channel).Select(c => calendar.MonthKey(c.DecidedAt!.Value)).ToHashSet();
            for (var month = createdMonth.AddMonths(1); month < currentMonth; month = month.AddMonths(1))
                Assert.Contains($"{month:yyyy-MM}", months);
        }

        // Several lists; SMS to several countries.
        Assert.True(accepted.Where(c => c.Channel == Channel.Email).Select(c => c.ListId).Distinct().Count() >= 4);
        Assert.True(accepted.Where(c => c.Channel == Channel.Sms).Select(c => c.ListId).Distinct().Count() >= 3);
        Assert.True(accepted.Where(c => c.Channel == Channel.Sms).Select(c => c.Country).Distinct().Count() >= 5);

        // A weekly rhythm (campaign lists that send on one weekday, every week) and transactional mail every day.
        var weekly = accepted.Where(c => c.Channel == Channel.Email).GroupBy(c => c.ListId)
            .Where(g => g.Count() >= 50 && g.Select(c => calendar.LocalDate(c.DecidedAt!.Value).DayOfWeek).Distinct().Count() == 1)
            .ToList();
        Assert.True(weekly.Count >= 2, "campaign lists sending weekly: " + string.Join(", ", weekly.Select(g => lists[g.Key])));
        Assert.All(weekly, g => Assert.All(g.Where(c => c.DecidedAt!.Value >= account.CreatedAt.AddDays(7)),
            c => Assert.Contains(g, other => calendar.LocalDate(other.DecidedAt!.Value) == calendar.LocalDate(c.DecidedAt!.Value).AddDays(-7))));
        var sendDays = accepted.Where(c => c.Channel == Channel.Email).GroupBy(c => c.ListId)
            .ToDictionary(g => g.Key, g => g.Select(c => calendar.LocalDate(c.DecidedAt!.Value)).ToHashSet());
        Assert.Contains(sendDays, list => Enumerable.Range(1, today.DayNumber - created.DayNumber - 1)
            .All(offset => list.Value.Contains(created.AddDays(offset))));

        // Purchases on both channels, email in most months.
        var paid = orders.Where(o => o.Status == OrderStatus.Paid).ToList();
        Assert.True(paid.Count(o => o.Channel == Channel.Sms) >= 2);
        Assert.True(paid.Where(o => o.Channel == Channel.Email).Select(o => calendar.MonthKey(o.CompletedAt!.Value)).Distinct().Count() >= 10);
        Assert.Contains(entries, e => e.Kind == LedgerEntryKind.Purchase && e.Channel == Channel.Sms);

        // R2: free credits topped up at many local month starts.
        var topUpMonths = entries.Where(e => e.Kind == LedgerEntryKind.TopUp && e.Quantity > 0
                && e.At == calendar.StartOfDay(new DateOnly(calendar.LocalDate(e.At).Year, calendar.LocalDate(e.At).Month, 1)))
            .Select(e => calendar.MonthKey(e.At)).Distinct().Count();
        Assert.True(topUpMonths >= 6, $"month-start top-ups in {topUpMonths} months");

        // R5: an SMS lot expired with its remaining split across several lists.
        Assert.Contains(entries.Where(e => e.Kind == LedgerEntryKind.Expiry && e.Channel == Channel.Sms).GroupBy(e => e.LotId),
            lot => lot.Where(e => e.ListId is not null && e.AssignedDelta < 0).Select(e => e.ListId).Distinct().Count() >= 2);

        // R6: a send refused at a list's monthly cap. Nothing else was refused, nothing is left queued.
        var refused = consumptions.Where(c => c.Status == ConsumptionStatus.Rejected).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, c => Assert.Equal(ConsumptionReasons.MonthlyCap, c.Reason));
        Assert.DoesNotContain(consumptions, c => c.Status == ConsumptionStatus.Queued);

        // R9: sends queued, then released later.
        var released = consumptions.Where(c => c.InitialStatus == ConsumptionStatus.Queued && c.Status == ConsumptionStatus.Accepted).ToList();
        Assert.NotEmpty(released);
        Assert.All(released, c => Assert.True(c.DecidedAt > c.RequestedAt));
        Assert.Contains(released, c => c.InitialReason == ConsumptionReasons.InsufficientCredits);

        // R10: auto-renew paid once, later declined; each decline has its alert at the same instant.
        var renewals = orders.Where(o => o.Kind == OrderKind.AutoRenew).ToList();
        Assert.Contains(renewals, o => o.Status == OrderStatus.Paid
            && alerts.Any(a => a.Kind == AlertKind.AutoRenewed && a.At == o.CompletedAt && a.Channel == o.Channel));
        var declined = renewals.Where(o => o.Status == OrderStatus.Declined).ToList();
        Assert.NotEmpty(declined);
        Assert.All(declined, o => Assert.Contains(alerts, a => a.Kind == AlertKind.AutoRenewDeclined && a.At == o.CompletedAt && a.Channel == o.Channel));

        // R11: support acted on the account, each time with a reason the owner can read.
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.AccountId == id && a.Actor.StartsWith("support:")).ToListAsync();
        Assert.Contains(audit, a => a.Action.StartsWith("adjustment.") && !string.IsNullOrEmpty(a.Reason));
        Assert.Contains(audit, a => a.Action.StartsWith("list.cap.") && !string.IsNullOrEmpty(a.Reason));
    }

    [Fact]
    public async Task A_second_start_adds_nothing()
    {
        var now = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        using var database = new TempDatabase("demo-again");
        string first;
        await using (var app = await new DemoSeedApp(database, now).StartedAsync())
            first = await CountsAsync(database);
        Assert.Contains("Consumptions=", first);

        await using (var again = await new DemoSeedApp(database, now).StartedAsync())
            Assert.Equal(first, await CountsAsync(database));
    }

    [Fact]
    public async Task On_the_first_start_the_app_answers_the_ledgers_numbers_for_the_demo_account()
    {
        var now = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        using var database = new TempDatabase("demo-numbers");
        await using var app = await new DemoSeedApp(database, now).StartedAsync();
        using var support = app.Support();

        await using var db = database.CreateContext();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Name == DemoOptions.AccountName);
        var calendar = new AccountCalendar(account.TimeZoneId);
        var today = calendar.LocalDate(now);
        var monthStart = calendar.StartOfDay(new DateOnly(today.Year, today.Month, 1));
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == account.Id).ToListAsync();
        var consumptions = await db.Consumptions.AsNoTracking().Where(c => c.AccountId == account.Id).ToListAsync();

        foreach (var channel in new[] { Channel.Email, Channel.Sms })
        {
            var wallet = JsonNode.Parse(await support.GetStringAsync($"api/v1/accounts/{account.Id}/wallets/{channel}"))!;
            var ofWallet = entries.Where(e => e.Channel == channel).ToList();
            var total = (long)wallet["total"]!;
            Assert.Equal(ofWallet.Sum(e => e.Quantity), total);
            Assert.True(total > 0, $"{channel} has credits");
            foreach (var lot in wallet["lots"]!.AsArray())
                Assert.Equal(ofWallet.Where(e => e.LotId == (long)lot!["id"]!).Sum(e => e.Quantity), (long)lot!["remaining"]!);
            var assigned = 0L;
            foreach (var list in wallet["lists"]!.AsArray())
            {
                var listId = (long)list!["id"]!;
                Assert.Equal(ofWallet.Where(e => e.ListId == listId).Sum(e => e.AssignedDelta), (long)list["assigned"]!);
                Assert.Equal(consumptions.Where(c => c.ListId == listId && c.Channel == channel && c.Status == ConsumptionStatus.Accepted
                    && c.DecidedAt >= monthStart).Sum(c => c.Quantity), (long)list["sentThisMonth"]!);
                assigned += (long)list["assigned"]!;
            }
            Assert.Equal(total - assigned, (long)wallet["unassigned"]!);
            Assert.Equal(0, (int)wallet["queued"]!);
        }

        // The consumption report over the whole history adds up to the ledger's consumption entries.
        var report = JsonNode.Parse(await support.GetStringAsync(
            $"api/v1/accounts/{account.Id}/reports/consumption?from={calendar.LocalDate(account.CreatedAt):yyyy-MM-dd}&to={today:yyyy-MM-dd}&groupBy=month"))!.AsArray();
        Assert.Equal(-entries.Where(e => e.Kind == LedgerEntryKind.Consumption).Sum(e => e.Quantity), report.Sum(r => (long)r!["credits"]!));
        Assert.Equal(14, report.Select(r => (string)r!["period"]!).Distinct().Count());
    }

    private static async Task<string> CountsAsync(TempDatabase database)
    {
        await using var db = database.CreateContext();
        return string.Join("; ",
            $"Accounts={await db.Accounts.CountAsync()}", $"Users={await db.Users.CountAsync()}", $"Lists={await db.Lists.CountAsync()}",
            $"Lots={await db.Lots.CountAsync()}", $"LedgerEntries={await db.LedgerEntries.CountAsync()}",
            $"Consumptions={await db.Consumptions.CountAsync()}", $"Orders={await db.Orders.CountAsync()}", $"Alerts={await db.Alerts.CountAsync()}",
            $"AuditEntries={await db.AuditEntries.CountAsync()}", $"ApiKeys={await db.ApiKeys.CountAsync()}",
            $"ScheduledEvents={await db.ScheduledEvents.CountAsync()}");
    }
}
