using CreditPortal.Reports;

namespace CreditPortal.Tests.Reports;

public sealed class ReportPeriodTests
{
    [Theory]
    [InlineData("2026-11-22", "2026-11-16", "2026-11-22", "2026-W47")] // a Sunday belongs to the week that began on Monday
    [InlineData("2026-11-23", "2026-11-23", "2026-11-29", "2026-W48")]
    [InlineData("2026-12-31", "2026-12-28", "2027-01-03", "2026-W53")] // 2026 has 53 ISO weeks
    [InlineData("2027-01-03", "2026-12-28", "2027-01-03", "2026-W53")] // early January can belong to the previous ISO year
    [InlineData("2027-01-04", "2027-01-04", "2027-01-10", "2027-W01")]
    [InlineData("2025-12-29", "2025-12-29", "2026-01-04", "2026-W01")] // late December can belong to the next
    public void Weeks_are_iso_weeks_from_monday_to_sunday(string date, string start, string end, string key)
    {
        var period = ReportPeriod.Containing(DateOnly.Parse(date), ReportGrouping.Week);
        Assert.Equal((DateOnly.Parse(start), DateOnly.Parse(end), key), (period.Start, period.End, period.Key));
    }

    [Fact]
    public void Months_and_days_have_iso_keys_and_inclusive_ends()
    {
        var month = ReportPeriod.Containing(new DateOnly(2028, 2, 14), ReportGrouping.Month);
        Assert.Equal((new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29), "2028-02"), (month.Start, month.End, month.Key));
        var day = ReportPeriod.Containing(new DateOnly(2026, 3, 29), ReportGrouping.Day);
        Assert.Equal((new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29), "2026-03-29"), (day.Start, day.End, day.Key));
    }

    [Fact]
    public void A_range_is_covered_by_consecutive_periods_and_the_edge_periods_are_clipped_to_it()
    {
        var range = new ReportRange(new DateOnly(2026, 11, 18), new DateOnly(2026, 12, 2), ReportGrouping.Week);
        var periods = range.Periods.ToList();
        Assert.Equal(["2026-W47", "2026-W48", "2026-W49"], periods.Select(p => p.Key));
        Assert.Equal((new DateOnly(2026, 11, 18), new DateOnly(2026, 11, 22)), periods[0].Within(range.From, range.To));
        Assert.Equal((new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 2)), periods[2].Within(range.From, range.To));
        Assert.Equal(15, new ReportRange(range.From, range.To, ReportGrouping.Day).Periods.Count());
    }

    [Theory]
    [InlineData(null, "2026-11-30", "week", "from")]
    [InlineData("2026-11-01", "30/11/2026", "week", "to")]
    [InlineData("2026-11-01", "2026-11-30", "year", "groupBy")]
    [InlineData("2026-11-01", "2026-11-30", "7", "groupBy")]
    [InlineData("2026-11-30", "2026-11-01", "day", "to")]
    [InlineData("2000-01-01", "2026-11-01", "day", "to")]
    public void Bad_parameters_name_the_field(string? from, string? to, string? groupBy, string field)
    {
        Assert.False(ReportRange.TryParse(from, to, groupBy, out var range, out var badField, out var error));
        Assert.Null(range);
        Assert.Equal(field, badField);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Good_parameters_parse_with_month_as_the_default_grouping()
    {
        Assert.True(ReportRange.TryParse("2026-11-01", "2026-11-30", null, out var range, out _, out _));
        Assert.Equal(new ReportRange(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), ReportGrouping.Month), range);
        Assert.True(ReportRange.TryParse("2026-11-01", "2026-11-01", "WEEK", out var single, out _, out _));
        Assert.Equal(ReportGrouping.Week, single!.GroupBy);
        Assert.Equal("from=2026-11-01&to=2026-11-01&groupBy=week", single.ToQueryString());
    }
}
