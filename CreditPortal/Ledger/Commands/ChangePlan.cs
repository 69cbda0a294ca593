using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Ledger.Commands;

/// <summary>
/// R7: a wallet's plan. A new plan starts a new billing cycle today (the old plan's Plan and Refill lots
/// end now, with the R5 split; pack, free and adjustment credits stay usable). Once on Monthly, never back.
/// The same plan with another subscriber count or tier takes effect at the next cycle (price and credits).
/// </summary>
public static class ChangePlan
{
    public static void Execute(LedgerSession s, long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits, Actor actor)
    {
        if (subscriberCount is { } subs) Validate.Quantity(subs, "subscriberCount");
        if (plan == Plan.Standard && subscriberCount is null)
            throw new LedgerValidationException("subscriberCount", "subscriberCount is required for the Standard plan.");
        if (plan == Plan.Monthly && (monthlyCredits is null || s.Pricing.MonthlyTier(monthlyCredits.Value) is null))
            throw new LedgerValidationException("monthlyCredits",
                $"monthlyCredits must be one of the Monthly tiers: {string.Join(", ", s.Options.MonthlyPlanTiers.Select(t => t.Credits))}.");

        var account = s.Open(accountId);
        var wallet = account.Wallet(channel);
        var row = wallet.Row;
        if (row.MonthlyLocked && plan != Plan.Monthly)
            throw new LedgerRuleException("plan_switch_irreversible", "This wallet moved to the Monthly plan, which cannot be switched back.", "plan");

        var before = Describe(row.Plan, row.NextSubscriberCount ?? row.SubscriberCount, row.NextMonthlyCredits ?? row.MonthlyCredits);
        if (plan == row.Plan && plan is Plan.Standard or Plan.Monthly)
        {
            // Same plan, new count or tier: the current cycle keeps the credits and price it started with.
            var after = Describe(plan, subscriberCount ?? row.NextSubscriberCount ?? row.SubscriberCount,
                plan == Plan.Monthly ? monthlyCredits : row.MonthlyCredits);
            if (before == after) return;
            if (plan == Plan.Standard)
                row.NextSubscriberCount = subscriberCount == row.SubscriberCount ? null : subscriberCount;
            else
                row.NextMonthlyCredits = monthlyCredits == row.MonthlyCredits ? null : monthlyCredits;
            s.Records.SaveWallet(wallet);
            s.Audit.Record(account, actor, $"plan.{channel}", before, after + " from the next cycle", null);
            return;
        }

        // On other plans the subscriber count only prices offers (e.g. Free → Standard): it applies at once.
        var countChanged = subscriberCount is not null && subscriberCount != row.SubscriberCount;
        if (plan == row.Plan && !countChanged) return;
        if (subscriberCount is not null) row.SubscriberCount = subscriberCount;
        if (plan == Plan.Monthly) row.MonthlyCredits = monthlyCredits;
        var afterText = Describe(plan, row.SubscriberCount, row.MonthlyCredits)
                        + (countChanged && plan != Plan.Standard ? $" ({row.SubscriberCount} subscribers)" : "");

        if (plan != row.Plan)
        {
            var now = s.Now;
            foreach (var lot in wallet.Lots.Where(l => l.Kind is LotKind.Plan or LotKind.Refill).ToList())
                s.Postings.ExpireLot(account, wallet, lot, now);
            row.Plan = plan;
            row.NextSubscriberCount = null;
            row.NextMonthlyCredits = null;
            if (plan == Plan.Monthly) row.MonthlyLocked = true;
            if (plan is Plan.Free or Plan.Standard or Plan.Monthly)
            {
                row.CycleAnchor = account.Calendar.LocalDate(now);
                row.CycleIndex = 0;
                row.CycleEndsAt = BillingCycle.EndsAt(row.CycleAnchor.Value, 0, account.Calendar);
                s.Records.SaveWallet(wallet);
                s.Due.GrantPlanCredits(account, wallet, now);
            }
            else
            {
                row.CycleAnchor = null;
                row.CycleIndex = 0;
                row.CycleEndsAt = null;
            }
        }
        s.Records.SaveWallet(wallet);
        s.Audit.Record(account, actor, $"plan.{channel}", before, afterText, null);
        s.Alerts.CheckThresholds(account, wallet, s.Now);
        s.Sends.ReleaseQueue(account, wallet, s.Now);
    }

    private static string Describe(Plan plan, long? subscribers, long? monthlyCredits) => plan switch
    {
        Plan.Standard => $"Standard ({subscribers} subscribers)",
        Plan.Monthly => $"Monthly ({monthlyCredits} credits)",
        _ => plan.ToString(),
    };
}
