using CreditPortal.Features.Reports;
using CreditPortal.Reports;

namespace CreditPortal.Tests.Reports;

public sealed class UsageChartTests
{
    [Theory]
    [InlineData(ReportGrouping.Day, "2026-11-05", "5")]
    [InlineData(ReportGrouping.Week, "2026-11-16", "W47")]
    [InlineData(ReportGrouping.Month, "2025-12-01", "Dec 25")]
    public void The_axis_names_each_column_by_the_shortest_label_that_tells_it_apart(ReportGrouping grouping, string start, string label)
        => Assert.Equal(label, UsageChart.AxisLabel(ReportPeriod.Containing(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), grouping)));
}
