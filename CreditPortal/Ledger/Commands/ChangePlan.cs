using System.Globalization;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Commands;

/// <summary>What moving a wallet to a plan costs now (R7). <see cref="NeedsPayment"/> is false for Free and Packs, for a
/// new count or tier of the current plan (it applies from the next cycle) and for coming back to a paid plan already
/// paid in this cycle.</summary>
public sealed record PlanQuote(Plan Plan, bool NeedsPayment, decimal Price, long Credits, int DaysLeft, int DaysInCycle, DateTimeOffset CycleEndsAt,
    bool FromNextCycle);

/// <summary>
/// R7: a wallet's plan. The wallet has one billing cycle, anchored the first day it leaves Packs and never moved by
/// a plan change: "once per wallet per cycle" needs a cycle that a round trip through another plan cannot restart.
/// Each plan's credits for a cycle are granted once, under a unique key (as top-ups are), so leaving a plan and coming
/// back in the same cycle grants nothing new and charges nothing new. A paid plan (Standard, Pro, Monthly) changes only
/// with its paid order (<see cref="RecordOrder"/>); joined mid-cycle it is priced and granted pro rata of the days left.
/// Leaving a plan mid-cycle keeps its plan credits until the cycle end (they were paid for; nothing is refunded, R3).
/// The same plan with another subscriber count or tier takes effect at the next cycle. Once on Monthly, never back.
/// </summary>
public static class ChangePlan
{
    public static PlanQuote Quote(LedgerSession s, long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits)
    {
        ValidateRequest(s, plan, subscriberCount, monthlyCredits);
        var account = s.Open(accountId);
        var wallet = account.Wallet(channel);
        var row = wallet.Row;
        if (row.MonthlyLocked && plan != Plan.Monthly)
            throw new LedgerRuleException("plan_switch_irreversible", "This wallet moved to the Monthly plan, which cannot be switched back.", "plan");

        var today = account.Calendar.LocalDate(s.Now);
        var (anchor, index) = row.CycleAnchor is { } a ? (a, row.CycleIndex) : (today, 0);
        var endsAt = BillingCycle.EndsAt(anchor, index, account.Calendar);
        var daysIn = BillingCycle.DaysIn(anchor, index);
        var daysLeft = BillingCycle.DaysLeft(anchor, index, today);
        var fromNextCycle = plan == row.Plan && PlanPricing.IsPaid(plan);
        if (!PlanPricing.IsPaid(plan) || plan == row.Plan || s.Due.PlanGranted(wallet, BillingCycle.StartDate(anchor, index), plan))
            return new PlanQuote(plan, false, 0m, 0, daysLeft, daysIn, endsAt, fromNextCycle);

        // Joined mid-cycle: the price and the credits of the days left, so the first cycle is neither free nor paid twice.
        var price = s.Pricing.CyclePrice(plan, subscriberCount, monthlyCredits) ?? 0m;
        var credits = s.Pricing.CycleCredits(plan, subscriberCount, monthlyCredits) ?? 0;
        return new PlanQuote(plan, true, Money.RoundToCents(price * daysLeft / daysIn), credits * daysLeft / daysIn, daysLeft, daysIn, endsAt, false);
    }

    /// <summary>Changes the plan. Without <paramref name="paidBy"/>, a change that needs payment is refused
    /// (<c>payment_required</c>): plan credits never arrive without their money. Returns the plan lot granted, if any.</summary>
    public static long? Execute(LedgerSession s, long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits, Actor actor,
        Order? paidBy = null)
    {
        var quote = Quote(s, accountId, channel, plan, subscriberCount, monthlyCredits);
        if (quote.NeedsPayment && paidBy is null)
            throw new LedgerRuleException("payment_required",
                $"Moving to the {plan} plan is a paid order: it is charged before the plan changes.", "plan");

        var account = s.Open(accountId);
        var wallet = account.Wallet(channel);
        var row = wallet.Row;
        var before = Describe(row.Plan, row.NextSubscriberCount ?? row.SubscriberCount, row.NextMonthlyCredits ?? row.MonthlyCredits);
        if (plan == row.Plan && PlanPricing.IsPaid(plan))
        {
            // Same plan, new count or tier: the current cycle keeps the credits and price it started with.
            var nextSubscribers = PlanPricing.NeedsSubscribers(plan) ? subscriberCount ?? row.NextSubscriberCount ?? row.SubscriberCount : row.SubscriberCount;
            var nextTier = plan == Plan.Monthly ? monthlyCredits ?? row.NextMonthlyCredits ?? row.MonthlyCredits : row.MonthlyCredits;
            var after = Describe(plan, nextSubscribers, nextTier);
            if (before == after) return null;
            row.NextSubscriberCount = nextSubscribers == row.SubscriberCount ? null : nextSubscribers;
            row.NextMonthlyCredits = nextTier == row.MonthlyCredits ? null : nextTier;
            s.Records.SaveWallet(wallet);
            s.Audit.Record(account, actor, $"plan.{channel}", before, after + " from the next cycle", null);
            return null;
        }

        // On other plans the subscriber count only prices offers (e.g. Free → Standard): it applies at once.
        var countChanged = subscriberCount is not null && subscriberCount != row.SubscriberCount;
        if (plan == row.Plan && !countChanged) return null;
        if (subscriberCount is not null) row.SubscriberCount = subscriberCount;
        if (plan == Plan.Monthly) row.MonthlyCredits = monthlyCredits;
        var afterText = Describe(plan, row.SubscriberCount, row.MonthlyCredits)
                        + (countChanged && !PlanPricing.NeedsSubscribers(plan) ? $" ({row.SubscriberCount} subscribers)" : "");

        long? lotId = null;
        if (plan != row.Plan)
        {
            var now = s.Now;
            row.Plan = plan;
            row.NextSubscriberCount = null;
            row.NextMonthlyCredits = null;
            if (plan == Plan.Monthly) row.MonthlyLocked = true;
            if (row.CycleAnchor is null && plan != Plan.Packs)
            {
                row.CycleAnchor = account.Calendar.LocalDate(now);
                row.CycleIndex = 0;
                row.CycleEndsAt = BillingCycle.EndsAt(row.CycleAnchor.Value, 0, account.Calendar);
            }
            s.Records.SaveWallet(wallet);
            if (plan != Plan.Packs)
            {
                // A paid plan grants what its order paid for (pro rata when joined mid-cycle); Free grants its cycle's credits.
                lotId = s.Due.GrantPlanCredits(account, wallet, now, paidBy?.Credits);
                if (paidBy is not null) afterText += $" (order {paidBy.Id})";
            }
        }
        s.Records.SaveWallet(wallet);
        s.Audit.Record(account, actor, $"plan.{channel}", before, afterText, null);
        s.Alerts.CheckThresholds(account, wallet, s.Now);
        s.Sends.ReleaseQueue(account, wallet, s.Now);
        return lotId;
    }

    /// <summary>R7 when the retries of a paid plan's renewal ran out: the unpaid cycle becomes a Free one.</summary>
    public static void FallBackToFree(LedgerSession s, AccountState account, WalletState wallet, DateTimeOffset at, string why)
    {
        var row = wallet.Row;
        // A Monthly wallet stays locked: falling back for non-payment does not open the way back to Packs.
        var before = Describe(row.Plan, row.SubscriberCount, row.MonthlyCredits);
        row.Plan = Plan.Free;
        row.NextSubscriberCount = null;
        row.NextMonthlyCredits = null;
        s.Records.SaveWallet(wallet);
        s.Due.GrantPlanCredits(account, wallet, at);
        s.Records.SaveWallet(wallet);
        s.Audit.Record(account, Actor.System, $"plan.{wallet.Channel}", before, "Free", why);
    }

    private static void ValidateRequest(LedgerSession s, Plan plan, long? subscriberCount, long? monthlyCredits)
    {
        if (subscriberCount is { } subs)
        {
            Validate.Quantity(subs, "subscriberCount");
            if (subs > s.Options.MaxSubscriberCount)
                throw new LedgerValidationException("subscriberCount",
                    $"subscriberCount must be at most {s.Options.MaxSubscriberCount.ToString("N0", CultureInfo.InvariantCulture)}; for more, contact support.");
        }
        if (PlanPricing.NeedsSubscribers(plan) && subscriberCount is null)
            throw new LedgerValidationException("subscriberCount", $"subscriberCount is required for the {plan} plan.");
        if (plan == Plan.Monthly && (monthlyCredits is null || s.Pricing.MonthlyTier(monthlyCredits.Value) is null))
            throw new LedgerValidationException("monthlyCredits",
                $"monthlyCredits must be one of the Monthly tiers: {string.Join(", ", s.Options.MonthlyPlanTiers.Select(t => t.Credits))}.");
    }

    private static string Describe(Plan plan, long? subscribers, long? monthlyCredits) => plan switch
    {
        Plan.Standard or Plan.Pro => $"{plan} ({subscribers} subscribers)",
        Plan.Monthly => $"Monthly ({monthlyCredits} credits)",
        _ => plan.ToString(),
    };
}
