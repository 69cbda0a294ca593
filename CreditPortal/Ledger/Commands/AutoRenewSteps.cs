using CreditPortal.Formatting;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.State;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Commands;

/// <summary>
/// R10 auto-renew, in writer steps around the payment: Start turns a due attempt into a Pending order
/// for the same pack (keyed by the attempt, so a crash never buys twice); Finish books the payment and
/// either alerts "renewed" or alerts "declined" and plans the next retry.
/// </summary>
public static class AutoRenewSteps
{
    public sealed record Started(long AttemptId, Order Order);

    public static Started? Start(LedgerSession s, long attemptId)
    {
        var attempt = s.Records.FindAttempt(attemptId);
        if (attempt is null || attempt.Status != AutoRenewAttemptStatus.Pending) return null;
        var account = s.Open(attempt.AccountId);
        var wallet = account.Wallet(attempt.Channel);
        if (attempt.Plan is { } plan) return StartPlanRenewal(s, attempt, account, wallet, plan);
        var pack = s.Catalog.Find(attempt.PackId);
        if (!wallet.Row.AutoRenew || pack is null || wallet.Row.SavedPaymentToken is not { } token)
        {
            // Switched off (or nothing to pay with) since the attempt was planned: nothing is bought.
            s.Records.SetAttemptStatus(attempt, AutoRenewAttemptStatus.Cancelled, null);
            wallet.HasPendingAutoRenew = false;
            return null;
        }
        var order = RecordOrder.Begin(s, attempt.AccountId,
            new OrderDraft(OrderKind.AutoRenew, pack.Channel, pack.Id, pack.Credits, pack.Price, pack.Currency, token,
                $"autorenew-{attempt.Id}", $"autorenew-{attempt.Id}"),
            Actor.System).Order;
        return new Started(attempt.Id, order);
    }

    /// <summary>R7: the order that pays a paid plan's new cycle with the saved card, at the plan's price for this cycle.</summary>
    private static Started? StartPlanRenewal(LedgerSession s, AutoRenewAttempt attempt, AccountState account, WalletState wallet, Plan plan)
    {
        var row = wallet.Row;
        if (row.Plan != plan || row.CycleIndex != attempt.CycleIndex)
        {
            // The owner changed plan since the cycle started (or a later cycle began): this cycle is not charged.
            s.Records.SetAttemptStatus(attempt, AutoRenewAttemptStatus.Cancelled, null);
            return null;
        }
        var price = s.Pricing.CyclePrice(plan, row.SubscriberCount, row.MonthlyCredits) ?? 0m;
        var credits = s.Pricing.CycleCredits(plan, row.SubscriberCount, row.MonthlyCredits) ?? 0;
        var order = RecordOrder.Begin(s, attempt.AccountId,
            new OrderDraft(OrderKind.PlanRenewal, wallet.Channel, null, credits, price, s.Options.Currency, row.SavedPaymentToken ?? "",
                $"plan-renewal-{attempt.Id}", $"plan-renewal-{attempt.Id}")
            { Plan = plan, SubscriberCount = row.SubscriberCount, MonthlyCredits = row.MonthlyCredits },
            Actor.System).Order;
        return new Started(attempt.Id, order);
    }

    /// <summary>Everything is dated at the attempt's due time, so retries after a downtime (or a jump of
    /// the manual clock) follow each other in order, 1 h, 6 h, 24 h apart, as they would have.</summary>
    public static Order Finish(LedgerSession s, long attemptId, long orderId, PaymentResult payment)
    {
        var attempt = s.Records.FindAttempt(attemptId)!;
        var now = attempt.DueAt;
        var order = RecordOrder.Complete(s, orderId, payment, now);
        if (attempt.Status != AutoRenewAttemptStatus.Pending) return order;
        var account = s.Open(attempt.AccountId);
        var wallet = account.Wallet(attempt.Channel);
        if (attempt.Plan is { } plan) return FinishPlanRenewal(s, attempt, account, wallet, plan, order, now);
        if (order.Status == OrderStatus.Paid)
        {
            s.Records.SetAttemptStatus(attempt, AutoRenewAttemptStatus.Paid, order.Id);
            wallet.HasPendingAutoRenew = false;
            s.Alerts.Raise(account, wallet.Channel, AlertKind.AutoRenewed, now,
                $"Your {wallet.Channel} credits were renewed: {PortalFormat.Credits(order.Credits)} credits for {PortalFormat.Money(order.Price, order.Currency)} (order {order.Id}).");
            return order;
        }

        s.Records.SetAttemptStatus(attempt, AutoRenewAttemptStatus.Declined, order.Id);
        var delays = s.Options.AutoRenewRetryDelays;
        var retry = attempt.Attempt <= delays.Count ? now + delays[attempt.Attempt - 1] : (DateTimeOffset?)null;
        if (retry is { } at) s.Records.PlanAutoRenew(account, wallet, attempt.PackId, attempt.Attempt + 1, at, now);
        else wallet.HasPendingAutoRenew = false;
        s.Alerts.Raise(account, wallet.Channel, AlertKind.AutoRenewDeclined, now,
            $"Auto-renew of your {wallet.Channel} credits failed: the payment was declined ({order.DeclineReason}). "
            + (retry is { } r ? $"We will try again at {PortalFormat.Instant(r, account.Calendar.Zone)}." : "We will not try again; please buy credits or update your payment method."));
        return order;
    }

    /// <summary>
    /// R7: a paid renewal alerts "renewed" (its credits were booked with the order). A decline alerts with its own
    /// email and is retried after AutoRenewRetryDelays; when they run out, the unpaid cycle becomes a Free one.
    /// </summary>
    private static Order FinishPlanRenewal(LedgerSession s, AutoRenewAttempt attempt, AccountState account, WalletState wallet, Plan plan, Order order,
        DateTimeOffset now)
    {
        if (order.Status == OrderStatus.Paid)
        {
            s.Records.SetAttemptStatus(attempt, AutoRenewAttemptStatus.Paid, order.Id);
            s.Alerts.Raise(account, wallet.Channel, AlertKind.AutoRenewed, now,
                $"Your {plan} plan ({wallet.Channel}) was renewed for a new billing cycle: {PortalFormat.Money(order.Price, order.Currency)} (order {order.Id}).");
            return order;
        }

        s.Records.SetAttemptStatus(attempt, AutoRenewAttemptStatus.Declined, order.Id);
        var delays = s.Options.AutoRenewRetryDelays;
        var retry = attempt.Attempt <= delays.Count ? now + delays[attempt.Attempt - 1] : (DateTimeOffset?)null;
        if (retry is { } at) s.Records.PlanRenewal(account, wallet, plan, attempt.CycleIndex!.Value, attempt.Attempt + 1, at, now);
        else if (wallet.Row.Plan == plan && wallet.Row.CycleIndex == attempt.CycleIndex)
            ChangePlan.FallBackToFree(s, account, wallet, now, $"the {plan} plan's renewal was declined {attempt.Attempt} times");
        s.Alerts.Raise(account, wallet.Channel, AlertKind.AutoRenewDeclined, now,
            $"The renewal of your {plan} plan ({wallet.Channel}) failed: the payment was declined ({order.DeclineReason}). "
            + (retry is { } r
                ? $"We will try again at {PortalFormat.Instant(r, account.Calendar.Zone)}; until it is paid, this cycle's plan credits are not added."
                : "We will not try again: the wallet is now on the Free plan for this cycle. Choose a paid plan again to go back."));
        return order;
    }
}
