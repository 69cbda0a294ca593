namespace CreditPortal.Ledger.Rules;

/// <summary>
/// R8, Standard plan mid-cycle refill: price = monthly price × days left / days in the cycle (to cents);
/// extra credits = monthly credits / weeks left (rounded down), weeks left = ceil(days left / 7), at least 1.
/// </summary>
public sealed record ChargeNowQuote(decimal Price, long Credits, int DaysLeft, int WeeksLeft, int DaysInCycle)
{
    public static ChargeNowQuote Compute(decimal monthlyPrice, long monthlyCredits, int daysLeft, int daysInCycle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(daysInCycle, 1);
        daysLeft = Math.Clamp(daysLeft, 0, daysInCycle);
        var weeksLeft = Math.Max(1, (daysLeft + 6) / 7);
        var price = Money.RoundToCents(monthlyPrice * daysLeft / daysInCycle);
        var credits = monthlyCredits / weeksLeft;
        return new ChargeNowQuote(price, credits, daysLeft, weeksLeft, daysInCycle);
    }
}
