namespace CreditPortal.Features.Orders;

/// <summary>How many SMS a number of credits buys per destination country: credits ÷ the country's rate,
/// rounded down (an SMS is never split). Countries with the same rate are grouped.</summary>
public static class SmsReach
{
    public sealed record Group(int CreditsPerMessage, long Messages, IReadOnlyList<string> Countries);

    public static IReadOnlyList<Group> For(long credits, IReadOnlyDictionary<string, int> ratesByCountry)
        => ratesByCountry.Where(r => r.Value > 0)
            .GroupBy(r => r.Value)
            .OrderBy(g => g.Key)
            .Select(g => new Group(g.Key, credits / g.Key, g.Select(r => r.Key.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList()))
            .ToList();
}
