using CreditPortal.Clock;

namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R3: an SMS pack expires at 00:00 account time on the purchase date plus its validity (24 months);
/// 29 February becomes 28 February when the target year has none (DateOnly.AddMonths clamps).
/// </summary>
public static class SmsExpiry
{
    public static DateTimeOffset For(DateTimeOffset purchasedAt, AccountCalendar calendar, int validityMonths)
        => calendar.StartOfDay(calendar.LocalDate(purchasedAt).AddMonths(validityMonths));
}
