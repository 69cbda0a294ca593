using System.Globalization;

namespace CreditPortal.Reports;

/// <summary>
/// What a report covers: local dates of the account's time zone, both inclusive (docs/api.md), and how rows are
/// grouped in time.
/// </summary>
public sealed record ReportRange
{
    /// <summary>Longest range a report may cover (about ten years): a bound on the work one request can ask for.</summary>
    public const int MaxDays = 3_660;

    public ReportRange(DateOnly from, DateOnly to, ReportGrouping groupBy = ReportGrouping.Month)
    {
        if (to < from) throw new ArgumentException("The range ends before it starts.", nameof(to));
        if (to.DayNumber - from.DayNumber + 1 > MaxDays) throw new ArgumentException($"A report covers at most {MaxDays} days.", nameof(to));
        if (!Enum.IsDefined(groupBy)) throw new ArgumentOutOfRangeException(nameof(groupBy));
        From = from;
        To = to;
        GroupBy = groupBy;
    }

    public DateOnly From { get; }
    public DateOnly To { get; }
    public ReportGrouping GroupBy { get; }

    public IEnumerable<ReportPeriod> Periods => ReportPeriod.Covering(From, To, GroupBy);

    public ReportRange WithGrouping(ReportGrouping groupBy) => new(From, To, groupBy);

    /// <summary>"from=2026-11-01&amp;to=2026-11-30&amp;groupBy=week", the query string every report link uses.</summary>
    public string ToQueryString() => string.Create(CultureInfo.InvariantCulture,
        $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&groupBy={GroupBy.ToString().ToLowerInvariant()}");

    /// <summary>
    /// The period this range is compared with: the one just before it, of the same kind. A range that starts on the
    /// 1st of a month is measured in calendar months: the same days that many months earlier, and a range that ends
    /// on the last day of a month compares with one that does too (all of March with all of February, 1–12 March with
    /// 1–12 February, 1–30 March with 1–28 February). Any other range compares with the same number of days just
    /// before it (an ISO week with the week before, 10–16 March with 3–9 March).
    /// </summary>
    public (DateOnly From, DateOnly To) PreviousPeriod()
    {
        if (From.Day != 1)
        {
            var days = To.DayNumber - From.DayNumber + 1;
            return (From.AddDays(-days), From.AddDays(-1));
        }
        var months = (To.Year - From.Year) * 12 + To.Month - From.Month + 1;
        var from = From.AddMonths(-months);
        var to = To.AddMonths(-months); // DateOnly clamps to the month's last day: 30 March - 1 month = 28 February
        if (To.AddDays(1).Day == 1) to = new DateOnly(to.Year, to.Month, DateTime.DaysInMonth(to.Year, to.Month));
        return (from, to);
    }

    /// <summary>The current local month up to today: what the Reports page shows first.</summary>
    public static ReportRange MonthToDate(DateOnly today, ReportGrouping groupBy = ReportGrouping.Day)
        => new(new DateOnly(today.Year, today.Month, 1), today, groupBy);

    /// <summary>
    /// Reads a range from request parameters: <c>from</c> and <c>to</c> as <c>YYYY-MM-DD</c> (required), <c>groupBy</c>
    /// as <c>day</c>, <c>week</c> or <c>month</c> (default month). On failure, <paramref name="field"/> names the
    /// parameter and <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryParse(string? from, string? to, string? groupBy, out ReportRange? range, out string? field, out string? error)
    {
        range = null;
        field = null;
        error = null;
        if (!TryDate(from, out var fromDate)) { field = "from"; error = "from is required as a local date YYYY-MM-DD."; return false; }
        if (!TryDate(to, out var toDate)) { field = "to"; error = "to is required as a local date YYYY-MM-DD."; return false; }
        var grouping = ReportGrouping.Month;
        if (!string.IsNullOrEmpty(groupBy)
            && (!Enum.TryParse(groupBy, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || int.TryParse(groupBy, out _)))
        {
            field = "groupBy";
            error = "groupBy must be day, week or month.";
            return false;
        }
        if (toDate < fromDate) { field = "to"; error = "to must be on or after from."; return false; }
        if (toDate.DayNumber - fromDate.DayNumber + 1 > MaxDays) { field = "to"; error = $"A report covers at most {MaxDays} days."; return false; }
        range = new ReportRange(fromDate, toDate, grouping);
        return true;
    }

    private static bool TryDate(string? value, out DateOnly date)
        => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
