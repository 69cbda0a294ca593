namespace CreditPortal.Ledger.Rules;

/// <summary>R7 plan credits and prices from the configured tiers (docs/domain.md §4).</summary>
public sealed class PlanPricing(CreditsOptions options)
{
    /// <summary>Standard: 12 credits per subscriber per cycle.</summary>
    public long StandardCredits(long subscribers) => subscribers * options.StandardPlan.CreditsPerSubscriber;

    /// <summary>Standard price per cycle by subscriber tier; above the last tier, a price per subscriber.</summary>
    public decimal StandardPrice(long subscribers) => TierPrice(options.StandardPlan.Tiers, options.StandardPlan.PricePerSubscriberAbove, subscribers);

    /// <summary>Pro price per cycle from Pro's own tier table; above the last tier, a price per subscriber.</summary>
    public decimal ProPrice(long subscribers) => TierPrice(options.ProPlan.Tiers, options.ProPlan.PricePerSubscriberAbove, subscribers);

    /// <summary>R7: plans that are paid orders (charged before the plan changes and at every new cycle).</summary>
    public static bool IsPaid(Plan plan) => plan is Plan.Standard or Plan.Pro or Plan.Monthly;

    /// <summary>R7: plans that need a subscriber count (their price, and Standard's credits, follow it).</summary>
    public static bool NeedsSubscribers(Plan plan) => plan is Plan.Standard or Plan.Pro;

    private static decimal TierPrice(IEnumerable<SubscriberTierOption> tiers, decimal perSubscriberAbove, long subscribers)
    {
        foreach (var tier in tiers.OrderBy(t => t.UpToSubscribers))
            if (subscribers <= tier.UpToSubscribers) return tier.Price;
        return Money.RoundToCents(subscribers * perSubscriberAbove);
    }

    public MonthlyTierOption? MonthlyTier(long credits) => options.MonthlyPlanTiers.FirstOrDefault(t => t.Credits == credits);

    /// <summary>Credits a plan grants per cycle; null for plans without a plan lot (Packs, Pro).</summary>
    public long? CycleCredits(Plan plan, long? subscribers, long? monthlyCredits) => plan switch
    {
        Plan.Free => options.FreePlan.CreditsPerCycle,
        Plan.Standard => StandardCredits(subscribers ?? 0),
        Plan.Monthly => monthlyCredits,
        _ => null,
    };

    public decimal? CyclePrice(Plan plan, long? subscribers, long? monthlyCredits) => plan switch
    {
        Plan.Free => 0m,
        Plan.Standard => StandardPrice(subscribers ?? 0),
        Plan.Pro => ProPrice(subscribers ?? 0),
        Plan.Monthly => monthlyCredits is { } c ? MonthlyTier(c)?.Price : null,
        _ => null,
    };
}

public static class Money
{
    /// <summary>Money is rounded to cents, half away from zero (R8).</summary>
    public static decimal RoundToCents(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}
