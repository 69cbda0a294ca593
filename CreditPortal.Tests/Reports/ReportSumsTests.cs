using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Reports;

/// <summary>Credits are money: whatever the grouping, what a report says was spent is what the ledger drew.</summary>
public sealed class ReportSumsTests : IAsyncLifetime
{
    private LedgerHarness _h = default!;
    private ReportScenario _s = default!;
    private ReportQueries _reports = default!;
    private List<LedgerEntry> _entries = default!;
    private List<Consumption> _consumptions = default!;
    private AccountCalendar _calendar = default!;

    public async Task InitializeAsync()
    {
        _h = LedgerHarness.Start(ReportScenario.Start);
        _s = await ReportScenario.BuildAsync(_h);
        _reports = new ReportQueries(_h.Database.Portal);
        await using var db = _h.Db();
        _entries = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == _s.AccountId).ToListAsync();
        _consumptions = await db.Consumptions.AsNoTracking().Where(c => c.AccountId == _s.AccountId).ToListAsync();
        _calendar = new AccountCalendar("Europe/Rome");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IEnumerable<LedgerEntry> ConsumptionEntries => _entries.Where(e => e.Kind == LedgerEntryKind.Consumption);

    private async Task<UsageReport> Report(ReportGrouping grouping, DateOnly? from = null, DateOnly? to = null)
        => (await _reports.GetUsageAsync(_s.AccountId, new ReportRange(from ?? ReportScenario.From, to ?? ReportScenario.To, grouping)))!;

    [Theory]
    [InlineData(ReportGrouping.Day)]
    [InlineData(ReportGrouping.Week)]
    [InlineData(ReportGrouping.Month)]
    public async Task Total_credits_equal_the_ledger_consumption_entries_and_messages_the_accepted_consumptions(ReportGrouping grouping)
    {
        var report = await Report(grouping);

        var ledgerCredits = -ConsumptionEntries.Sum(e => e.Quantity);
        Assert.True(ledgerCredits > 4_000, "the scenario spends credits"); // guards against an empty scenario passing
        Assert.Equal(ledgerCredits, report.TotalCredits);
        Assert.Equal(ledgerCredits, report.Summary.Sum(r => r.Credits));
        Assert.Equal(_consumptions.Where(c => c.Status == ConsumptionStatus.Accepted).Sum(c => c.Quantity), report.TotalMessages);
        Assert.Equal(_consumptions.Where(c => c.Status == ConsumptionStatus.Accepted).Sum(c => c.Credits), report.TotalCredits);
    }

    [Fact]
    public async Task Every_list_and_channel_adds_up_to_its_ledger_entries()
    {
        var report = await Report(ReportGrouping.Month);

        var fromLedger = ConsumptionEntries.GroupBy(e => (e.ListId!.Value, e.Channel)).ToDictionary(g => g.Key, g => -g.Sum(e => e.Quantity));
        var fromReport = report.ByList.GroupBy(r => (r.ListId, r.Channel)).ToDictionary(g => g.Key, g => g.Sum(r => r.Credits));
        Assert.Equal(fromLedger.OrderBy(p => p.Key).ToList(), fromReport.Where(p => p.Value != 0).OrderBy(p => p.Key).ToList());
        // SMS to the US costs 2 credits a message and to Brazil 3: credits and messages differ on SMS.
        var sms = report.ByList.Where(r => r.Channel == Channel.Sms).ToList();
        Assert.Equal(40 + 10 * 2 + 5 * 3 + 1_500, sms.Sum(r => r.Credits));
        Assert.Equal(40 + 10 + 5 + 1_500, sms.Sum(r => r.Messages));
    }

    [Fact]
    public async Task Every_local_day_adds_up_to_the_ledger_entries_of_that_day_in_the_account_zone()
    {
        var report = await Report(ReportGrouping.Day);

        var fromLedger = ConsumptionEntries.GroupBy(e => _calendar.LocalDate(e.At)).ToDictionary(g => g.Key, g => -g.Sum(e => e.Quantity));
        var fromReport = report.Summary.GroupBy(r => r.Period.Start).ToDictionary(g => g.Key, g => g.Sum(r => r.Credits));
        Assert.Equal(fromLedger.OrderBy(p => p.Key).ToList(), fromReport.Where(p => p.Value != 0).OrderBy(p => p.Key).ToList());
    }

    [Fact]
    public async Task Refusals_are_counted_apart_and_queued_sends_count_on_the_day_they_were_released()
    {
        var report = await Report(ReportGrouping.Day);

        var rejected = _consumptions.Where(c => c.Status == ConsumptionStatus.Rejected).ToList();
        Assert.Equal(2, rejected.Count);
        Assert.Equal(rejected.Count, report.ByList.Sum(r => r.Rejected));
        Assert.Equal(rejected.Sum(c => c.Quantity), report.ByList.Sum(r => r.RejectedMessages));
        var capRow = report.ByList.Single(r => r.ListId == _s.FormulaList && r.Rejected > 0);
        Assert.Equal((ReportScenario.FormulaLikeName, 200L), (capRow.ListName, capRow.RejectedMessages));

        // Requested on 30 March, released by the purchase on the 31st: the 31st drew the credits.
        var released = report.ByList.Where(r => r.Channel == Channel.Sms && r.Period.Start == new DateOnly(2026, 3, 31)).ToList();
        Assert.Equal(1_500, released.Sum(r => r.Credits));
        Assert.DoesNotContain(report.ByList, r => r.Channel == Channel.Sms && r.Period.Start == new DateOnly(2026, 3, 30));
        // The send still queued has drawn nothing and is in no period.
        Assert.Single(_consumptions, c => c.Status == ConsumptionStatus.Queued);
        Assert.Equal(_consumptions.Where(c => c.Status == ConsumptionStatus.Accepted && c.Channel == Channel.Sms).Sum(c => c.Credits),
            report.ByList.Where(r => r.Channel == Channel.Sms).Sum(r => r.Credits));
    }

    [Fact]
    public async Task Summary_shows_the_credits_that_came_in_and_expired_as_the_ledger_recorded_them()
    {
        var report = await Report(ReportGrouping.Month);

        var granted = _entries.Where(e => e.Kind is LedgerEntryKind.TopUp or LedgerEntryKind.Purchase or LedgerEntryKind.Adjustment
            or LedgerEntryKind.PlanCredits or LedgerEntryKind.Refill).ToList();
        var expired = _entries.Where(e => e.Kind == LedgerEntryKind.Expiry).ToList();
        Assert.Contains(expired, e => e.ListId is not null); // the R5 split reached the lists
        Assert.Equal(granted.Sum(e => e.Quantity), report.Summary.Sum(r => r.CreditsAdded));
        Assert.Equal(-expired.Sum(e => e.Quantity), report.Summary.Sum(r => r.CreditsExpired));

        var april = report.Summary.Single(r => r.Period.Key == "2026-04" && r.Channel == Channel.Email);
        Assert.Equal(granted.Where(e => e.Channel == Channel.Email && e.At >= _calendar.StartOfDay(new DateOnly(2026, 4, 1))).Sum(e => e.Quantity),
            april.CreditsAdded);
        Assert.True(april.CreditsAdded > 0, "April's top-up is in April");
    }

    [Fact]
    public async Task A_range_counts_only_its_own_local_days()
    {
        var report = await Report(ReportGrouping.Week, new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 29));

        var start = _calendar.StartOfDay(new DateOnly(2026, 3, 3));
        var end = _calendar.StartOfDay(new DateOnly(2026, 3, 30));
        Assert.Equal(-ConsumptionEntries.Where(e => e.At >= start && e.At < end).Sum(e => e.Quantity), report.TotalCredits);
        // The first week (Mon 2 – Sun 8 March) only counts from the 3rd: the 2nd's 1,940 email credits are out.
        var firstWeek = report.Summary.Where(r => r.Period.Key == "2026-W10").ToList();
        Assert.Equal(new DateOnly(2026, 3, 2), firstWeek[0].Period.Start);
        Assert.Equal(50 + 15, firstWeek.Sum(r => r.Credits));
    }

    [Fact]
    public async Task Drilling_into_every_row_finds_consumptions_that_add_up_to_it()
    {
        var report = await Report(ReportGrouping.Week);

        foreach (var row in report.ByList)
        {
            var (from, to) = row.Period.Within(ReportScenario.From, ReportScenario.To);
            var lines = await AllPages(new ConsumptionQuery(from, to, row.ListId, row.Channel), pageSize: 2);
            var decided = lines.Where(l => l.Status != ConsumptionStatus.Queued).ToList();
            Assert.Equal(row.Credits, decided.Sum(l => l.CreditsDrawn));
            Assert.Equal(row.Messages, decided.Where(l => l.Status == ConsumptionStatus.Accepted).Sum(l => l.Messages));
            Assert.Equal(row.Accepted, decided.Count(l => l.Status == ConsumptionStatus.Accepted));
            Assert.Equal(row.Rejected, decided.Count(l => l.Status == ConsumptionStatus.Rejected));
            Assert.All(decided, l => Assert.Equal(row.ListId, l.ListId));
        }
    }

    [Fact]
    public async Task The_drill_down_pages_through_decided_then_queued_consumptions_with_a_true_count()
    {
        var all = new ConsumptionQuery(ReportScenario.From, ReportScenario.To);
        var first = await _reports.GetConsumptionsAsync(_s.AccountId, all, 0, 5);
        Assert.Equal(_consumptions.Count, first.Count);
        Assert.Equal(5, first.Items.Count);

        var lines = await AllPages(all, pageSize: 4);
        Assert.Equal(_consumptions.Select(c => c.Id).Order(), lines.Select(l => l.Id).Order());
        Assert.Equal(ConsumptionStatus.Queued, lines[^1].Status);
        Assert.Null(lines[^1].DecidedAt);
        var decided = lines.Take(lines.Count - 1).ToList();
        // By decision instant; sends decided at the same instant by list, channel, status and id (the index's order).
        Assert.Equal(decided.OrderBy(l => l.DecidedAt).ThenBy(l => l.ListId).ThenBy(l => l.Channel.ToString(), StringComparer.Ordinal)
            .ThenBy(l => l.Status.ToString(), StringComparer.Ordinal).ThenBy(l => l.Id).Select(l => l.Id), decided.Select(l => l.Id));
        Assert.Equal(-ConsumptionEntries.Sum(e => e.Quantity), lines.Sum(l => l.CreditsDrawn));

        var queued = await _reports.GetConsumptionsAsync(_s.AccountId, all with { Status = ConsumptionStatus.Queued }, 0, 10);
        Assert.Equal(("still waiting", 1L), (queued.Items.Single().Reference, queued.Count));
        var rejected = await _reports.GetConsumptionsAsync(_s.AccountId, all with { Status = ConsumptionStatus.Rejected }, 0, 10);
        // Both refused at the same instant: the Newsletter list was created before the formula-like one, so it comes first.
        Assert.Equal([ConsumptionReasons.InsufficientCredits, ConsumptionReasons.MonthlyCap], rejected.Items.Select(l => l.Reason));
        Assert.All(rejected.Items, l => Assert.Equal(0, l.CreditsDrawn));
    }

    [Fact]
    public async Task The_ledger_history_lists_every_movement_but_consumptions_with_the_expiry_split_per_list()
    {
        var page = await _reports.GetLedgerAsync(_s.AccountId, ReportScenario.From, ReportScenario.To, 0, 1_000);

        var expected = _entries.Where(e => e.Kind != LedgerEntryKind.Consumption).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Id).ToList();
        Assert.Equal(expected, page.Items.Select(l => l.Id));
        Assert.Equal(expected.Count, page.Count);
        var adjustmentExpiry = page.Items.Where(l => l.Kind == LedgerEntryKind.Expiry && l.LotKind == LotKind.Adjustment).ToList();
        Assert.Equal(-300, adjustmentExpiry.Sum(l => l.Quantity));
        Assert.Contains(adjustmentExpiry, l => l.ListId is null);                      // from the unassigned pool first
        Assert.Contains(adjustmentExpiry, l => l.ListName == "Newsletter");            // then from the lists' assignments
        Assert.Contains(adjustmentExpiry, l => l.ListName == "Transactional");
        Assert.Contains(page.Items, l => l.Kind == LedgerEntryKind.AllocationChange && l.ListName == "Newsletter");

        var second = await _reports.GetLedgerAsync(_s.AccountId, ReportScenario.From, ReportScenario.To, 3, 2);
        Assert.Equal(expected.Skip(3).Take(2), second.Items.Select(l => l.Id));
    }

    private async Task<List<ConsumptionLine>> AllPages(ConsumptionQuery query, int pageSize)
    {
        var lines = new List<ConsumptionLine>();
        for (var skip = 0; ; skip += pageSize)
        {
            var page = await _reports.GetConsumptionsAsync(_s.AccountId, query, skip, pageSize);
            lines.AddRange(page.Items);
            Assert.True(page.Items.Count <= pageSize);
            if (skip + pageSize >= page.Count) break;
            Assert.Equal(pageSize, page.Items.Count);
        }
        return lines;
    }
}
