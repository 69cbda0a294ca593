using System.Globalization;

namespace CreditPortal.Reports;

/// <summary>
/// One bucket of a report: a local day, an ISO week (Monday to Sunday) or a calendar month of the account's
/// time zone, from <see cref="Start"/> to <see cref="End"/> inclusive. Periods are made of local dates only, so
/// a daylight-saving change never moves a send into another bucket: the ledger already recorded each send
/// under the local date it happened on (ListDailyUsage.LocalDate).
/// </summary>
public readonly record struct ReportPeriod(DateOnly Start, DateOnly End, ReportGrouping Grouping)
{
    /// <summary>The period of <paramref name="grouping"/> that contains <paramref name="date"/>.</summary>
    public static ReportPeriod Containing(DateOnly date, ReportGrouping grouping) => grouping switch
    {
        ReportGrouping.Day => new(date, date, grouping),
        ReportGrouping.Week => new(WeekStart(date), WeekStart(date).AddDays(6), grouping),
        ReportGrouping.Month => new(new DateOnly(date.Year, date.Month, 1), new DateOnly(date.Year, date.Month, 1).AddMonths(1).AddDays(-1), grouping),
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, null),
    };

    /// <summary>Every period that overlaps <paramref name="from"/>..<paramref name="to"/>, in order.</summary>
    public static IEnumerable<ReportPeriod> Covering(DateOnly from, DateOnly to, ReportGrouping grouping)
    {
        for (var period = Containing(from, grouping); period.Start <= to; period = Containing(period.End.AddDays(1), grouping))
            yield return period;
    }

    /// <summary>The Monday on or before <paramref name="date"/> (ISO 8601 weeks start on Monday).</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>
    /// ISO 8601 name of the period, sortable as text: "2026-11-22", "2026-W47", "2026-11". A week belongs to the
    /// ISO week-year of its Thursday, so 2026-12-28..2027-01-03 is "2026-W53".
    /// </summary>
    public string Key => Grouping switch
    {
        ReportGrouping.Day => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ReportGrouping.Week => string.Create(CultureInfo.InvariantCulture,
            $"{ISOWeek.GetYear(Start.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(Start.ToDateTime(TimeOnly.MinValue)):D2}"),
        _ => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    /// <summary>For people: "22 Nov 2026", "2026-W47 (16–22 Nov)", "Nov 2026".</summary>
    public string Label => Grouping switch
    {
        ReportGrouping.Day => Start.ToString("d MMM yyyy", Formatting.PortalFormat.Culture),
        ReportGrouping.Week => $"{Key} ({Start.ToString("d MMM", Formatting.PortalFormat.Culture)}–{End.ToString("d MMM", Formatting.PortalFormat.Culture)})",
        _ => Start.ToString("MMM yyyy", Formatting.PortalFormat.Culture),
    };

    /// <summary>The part of this period inside <paramref name="from"/>..<paramref name="to"/> (the first and last periods of a range can be partial).</summary>
    public (DateOnly From, DateOnly To) Within(DateOnly from, DateOnly to)
        => (Start > from ? Start : from, End < to ? End : to);

    public override string ToString() => Key;
}
