using CreditPortal.Clock;

namespace CreditPortal.Reports;

/// <summary>The account a report is about: its name for the file name, its time zone for every date shown.</summary>
public sealed record ReportAccount(long Id, string Name, string TimeZoneId)
{
    private AccountCalendar? _calendar;

    public AccountCalendar Calendar => _calendar ??= new AccountCalendar(TimeZoneId);

    /// <summary>The account's wall-clock time at <paramref name="instant"/>, as written into date cells.</summary>
    public DateTime LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, Calendar.Zone);
}
