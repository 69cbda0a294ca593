using CreditPortal.Clock;

namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R7 billing cycles: from the plan's start date, one calendar month in the account's zone. Cycle n runs
/// from anchor+n months to anchor+(n+1) months, always counted from the anchor so a plan started on the
/// 31st ends on the last day of shorter months and comes back to the 31st afterwards.
/// </summary>
public static class BillingCycle
{
    public static DateOnly StartDate(DateOnly anchor, int index) => anchor.AddMonths(index);

    public static DateOnly EndDate(DateOnly anchor, int index) => anchor.AddMonths(index + 1);

    public static DateTimeOffset EndsAt(DateOnly anchor, int index, AccountCalendar calendar)
        => calendar.StartOfDay(EndDate(anchor, index));

    public static int DaysIn(DateOnly anchor, int index)
        => EndDate(anchor, index).DayNumber - StartDate(anchor, index).DayNumber;

    /// <summary>Whole local days from <paramref name="today"/> to the cycle end, today included.</summary>
    public static int DaysLeft(DateOnly anchor, int index, DateOnly today)
        => Math.Clamp(EndDate(anchor, index).DayNumber - today.DayNumber, 1, DaysIn(anchor, index));
}
