namespace CreditPortal.Clock;

/// <summary>
/// Calendar arithmetic in an account's time zone (docs/domain.md §3). Every rule that speaks of a day or a
/// month — month start, expiry day, daily limit, billing cycle — goes through here so daylight-saving
/// changes are handled in one place.
/// </summary>
public sealed class AccountCalendar
{
    public AccountCalendar(string timeZoneId) : this(FindZone(timeZoneId)) { }

    public AccountCalendar(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    public static TimeZoneInfo FindZone(string timeZoneId) => TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);

    public static bool IsKnownZone(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId)) return false;
        try { FindZone(timeZoneId); return true; }
        catch (TimeZoneNotFoundException) { return false; }
        catch (InvalidTimeZoneException) { return false; }
    }

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>
    /// The instant a local wall-clock time happens. A time skipped by a daylight-saving jump maps to the
    /// first instant after the gap; a repeated time maps to its first occurrence.
    /// </summary>
    public DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            // Walk forward minute by minute to the end of the gap (gaps are at most a few hours).
            var probe = local;
            while (Zone.IsInvalidTime(probe)) probe = probe.AddMinutes(1);
            local = probe;
        }
        TimeSpan offset;
        if (Zone.IsAmbiguousTime(local))
        {
            var offsets = Zone.GetAmbiguousTimeOffsets(local);
            offset = offsets.Max(); // the larger offset is the earlier instant
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>00:00 local on <paramref name="date"/> as an instant.</summary>
    public DateTimeOffset StartOfDay(DateOnly date) => ToInstant(date.ToDateTime(TimeOnly.MinValue));

    public DateTimeOffset StartOfMonth(int year, int month) => StartOfDay(new DateOnly(year, month, 1));

    /// <summary>The first local month start strictly after <paramref name="instant"/>.</summary>
    public DateTimeOffset NextMonthStart(DateTimeOffset instant)
    {
        var d = LocalDate(instant);
        var first = new DateOnly(d.Year, d.Month, 1).AddMonths(1);
        return StartOfDay(first);
    }

    /// <summary>The first local midnight strictly after <paramref name="instant"/>.</summary>
    public DateTimeOffset NextDayStart(DateTimeOffset instant) => StartOfDay(LocalDate(instant).AddDays(1));

    /// <summary>"yyyy-MM" of the local month containing <paramref name="instant"/>.</summary>
    public string MonthKey(DateTimeOffset instant)
    {
        var d = LocalDate(instant);
        return $"{d.Year:D4}-{d.Month:D2}";
    }
}
