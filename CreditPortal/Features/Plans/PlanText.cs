using CreditPortal.Formatting;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Features.Plans;

/// <summary>What a plan gives and costs, in words (R7, docs/domain.md §4).</summary>
public sealed class PlanText(PlanPricing pricing, CreditsOptions options)
{
    public string Describe(Plan plan, long? subscribers, long? monthlyCredits) => plan switch
    {
        Plan.Packs => "Credits only from the packs you buy.",
        Plan.Free => $"{PortalFormat.Credits(options.FreePlan.CreditsPerCycle)} credits per billing cycle, at most {PortalFormat.Credits(options.FreePlan.DailySendLimit)} sends a day. Free.",
        Plan.Standard => subscribers is { } s
            ? $"{PortalFormat.Credits(s)} subscribers: {PortalFormat.Credits(pricing.StandardCredits(s))} credits per billing cycle for {PortalFormat.Money(pricing.StandardPrice(s), options.Currency)}."
            : $"{PortalFormat.Credits(options.StandardPlan.CreditsPerSubscriber)} credits per subscriber per billing cycle, priced by subscriber count.",
        Plan.Pro => subscribers is { } p
            ? $"{PortalFormat.Credits(p)} subscribers: unlimited sends for {PortalFormat.Money(pricing.ProPrice(p), options.Currency)} per billing cycle."
            : "Unlimited: every send is accepted (and still recorded), priced by subscriber count.",
        Plan.Monthly => monthlyCredits is { } c && pricing.MonthlyTier(c) is { } tier
            ? $"{PortalFormat.Credits(tier.Credits)} credits per billing cycle for {PortalFormat.Money(tier.Price, options.Currency)}."
            : "A monthly volume of credits per billing cycle.",
        _ => "",
    };

    public string TierLabel(MonthlyTierOption tier)
        => $"{PortalFormat.Credits(tier.Credits)} credits for {PortalFormat.Money(tier.Price, options.Currency)} per cycle";
}
