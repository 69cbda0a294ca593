using CreditPortal.Clock;

namespace CreditPortal.Tests.Foundation;

public sealed class AccountCalendarTests
{
    private static readonly AccountCalendar Rome = new("Europe/Rome");

    [Fact]
    public void Month_start_in_Rome_winter_is_23_00_UTC_the_day_before()
        => Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), Rome.StartOfMonth(2026, 12));

    [Fact]
    public void Month_start_in_Rome_summer_is_22_00_UTC_the_day_before()
        => Assert.Equal(new DateTimeOffset(2026, 6, 30, 22, 0, 0, TimeSpan.Zero), Rome.StartOfMonth(2026, 7));

    [Fact]
    public void Next_month_start_after_the_spring_change_uses_the_summer_offset()
    {
        // Rome moves to CEST on 29 March 2026; April starts at 22:00 UTC on 31 March.
        var midMarch = new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero), Rome.NextMonthStart(midMarch));
    }

    [Fact]
    public void Local_date_uses_the_zone_not_UTC()
    {
        var lateEvening = new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2027, 1, 1), Rome.LocalDate(lateEvening));
        Assert.Equal("2027-01", Rome.MonthKey(lateEvening));
    }

    [Fact]
    public void A_skipped_local_midnight_maps_to_the_end_of_the_gap()
    {
        // Santiago de Chile jumps from 00:00 to 01:00 on the first Sunday of September: 6 Sep 2026.
        var santiago = new AccountCalendar("America/Santiago");
        var start = santiago.StartOfDay(new DateOnly(2026, 9, 6));
        Assert.Equal(new DateTimeOffset(2026, 9, 6, 4, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(new DateOnly(2026, 9, 6), santiago.LocalDate(start));
    }

    [Fact]
    public void A_repeated_local_time_maps_to_its_first_occurrence()
    {
        // Rome repeats 02:00–03:00 on 25 October 2026; the first 02:30 is CEST (UTC+2).
        var first = Rome.ToInstant(new DateTime(2026, 10, 25, 2, 30, 0));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), first);
    }

    [Fact]
    public void Unknown_zone_ids_are_recognised()
    {
        Assert.True(AccountCalendar.IsKnownZone("Europe/Rome"));
        Assert.False(AccountCalendar.IsKnownZone("Mars/Olympus_Mons"));
        Assert.False(AccountCalendar.IsKnownZone(""));
    }
}
