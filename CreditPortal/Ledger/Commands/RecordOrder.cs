using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Commands;

public sealed record OrderDraft(OrderKind Kind, Channel Channel, string? PackId, long Credits, decimal Price, string Currency,
    string PaymentToken, string IdempotencyKey, string RequestHash)
{
    /// <summary>R7 plan orders: the plan and what prices it.</summary>
    public Plan? Plan { get; init; }
    public long? SubscriberCount { get; init; }
    public long? MonthlyCredits { get; init; }
}

/// <summary>
/// The two ledger halves of a purchase; the payment happens between them, outside the writer. Begin
/// stores the order as Pending (idempotent per key), Complete books the outcome exactly once.
/// </summary>
public static class RecordOrder
{
    public sealed record Begun(Order Order, bool Created);

    /// <summary>Returns the order for this key: the new Pending one, or the one already there.</summary>
    public static Begun Begin(LedgerSession s, long accountId, OrderDraft draft, Actor actor)
    {
        if (s.Records.FindOrder(accountId, draft.IdempotencyKey) is { } existing)
        {
            if (existing.RequestHash != draft.RequestHash) throw new IdempotencyConflictException(draft.IdempotencyKey);
            return new Begun(existing, Created: false);
        }
        var account = s.Open(accountId);
        var wallet = account.Wallet(draft.Channel);
        // R7: two plan orders of one wallet in flight at once could both be charged while only one can change the plan.
        if (draft.Kind == OrderKind.Plan && s.Records.PlanOrderInFlight(wallet.Id) is { } inFlight)
            throw new LedgerRuleException("order_in_progress",
                $"Order {inFlight} for this wallet's plan is still being paid; wait for its outcome before ordering another plan.", "plan");
        var order = s.Records.AddOrder(new Order
        {
            AccountId = accountId, WalletId = wallet.Id, Channel = draft.Channel, Kind = draft.Kind, PackId = draft.PackId, Plan = draft.Plan,
            SubscriberCount = draft.SubscriberCount, MonthlyCredits = draft.MonthlyCredits, Credits = draft.Credits,
            Price = draft.Price, Currency = draft.Currency, Status = OrderStatus.Pending, IdempotencyKey = draft.IdempotencyKey,
            RequestHash = draft.RequestHash, PaymentToken = draft.PaymentToken, CreatedAt = s.Now, Actor = actor.ToString(),
        });
        return new Begun(s.Records.FindOrder(order.Id)!, Created: true);
    }

    /// <summary>Books the payment outcome; a second call for a completed order changes nothing.</summary>
    /// <param name="at">When the purchase counts as made: now, or a scheduled attempt's due time.</param>
    public static Order Complete(LedgerSession s, long orderId, PaymentResult payment, DateTimeOffset? at = null)
    {
        var order = s.Records.FindOrder(orderId) ?? throw new LedgerNotFoundException($"Order {orderId}");
        if (order.Status is not (OrderStatus.Pending or OrderStatus.RequiresAction)) return order;
        if (payment is { Paid: false, RequiresAction: true })
        {
            // 3-D Secure: not paid, not declined. Nothing is granted until the provider reports the outcome.
            order.Status = OrderStatus.RequiresAction;
            order.PaymentReference = payment.Reference;
            s.Records.SaveOrder(order);
            return order;
        }
        var account = s.Open(order.AccountId);
        var wallet = account.Wallet(order.Channel);
        var now = at ?? s.Now;
        order.CompletedAt = now;
        if (!payment.Paid)
        {
            order.Status = OrderStatus.Declined;
            order.DeclineReason = payment.DeclineReason ?? "declined";
            s.Records.SaveOrder(order);
            return order;
        }

        var actor = ParseActor(order.Actor);
        if (order.Kind == OrderKind.Plan)
        {
            // R7: the plan changes only now that it is paid, granting what the order bought.
            order.LotId = ChangePlan.Execute(s, order.AccountId, order.Channel, order.Plan!.Value, order.SubscriberCount, order.MonthlyCredits, actor, order);
            wallet.Row.SavedPaymentToken = order.PaymentToken; // the card each new cycle is charged to
            s.Records.SaveWallet(wallet);
        }
        else if (order.Kind == OrderKind.PlanRenewal)
        {
            // R7: a new cycle of a paid plan, paid: its credits, once (the grant key), expiring at the cycle end.
            if (wallet.Row.Plan == order.Plan) order.LotId = s.Due.GrantPlanCredits(account, wallet, now);
        }
        else if (order.Kind == OrderKind.ChargeNow)
        {
            order.LotId = s.Postings.GrantLot(account, wallet, LotKind.Refill, order.Credits, wallet.Row.CycleEndsAt, $"order {order.Id} (charge now)",
                order.Id, LedgerEntryKind.Refill, actor, "charge now", now).Id;
        }
        else
        {
            DateTimeOffset? expiresAt = null;
            if (order.Channel == Channel.Sms)
            {
                expiresAt = SmsExpiry.For(now, account.Calendar, s.Options.SmsValidityMonths);
                ExtendSmsLots(s, account, wallet, expiresAt.Value, order.Id);
            }
            order.LotId = s.Postings.GrantLot(account, wallet, LotKind.Purchased, order.Credits, expiresAt, $"order {order.Id} ({order.PackId})",
                order.Id, LedgerEntryKind.Purchase, actor, order.Kind == OrderKind.AutoRenew ? "auto-renew" : "pack purchase", now).Id;
            // R10 measures from the last purchase: a new purchase is a new base and re-arms every alert.
            wallet.Row.LastPurchasePackId = order.PackId;
            wallet.Row.LastPurchaseCredits = order.Credits;
            wallet.Row.LastGrantCredits = order.Credits; // R9's "running low" measures from it too
            wallet.Row.SavedPaymentToken = order.PaymentToken;
            wallet.Row.ArmedAlerts = WalletAlertBits.All;
            wallet.Row.AutoRenewArmed = true;
            s.Records.SaveWallet(wallet);
        }
        order.Status = OrderStatus.Paid;
        order.PaymentReference = payment.Reference;
        s.Records.SaveOrder(order);
        s.Alerts.CheckThresholds(account, wallet, now);
        s.Sends.ReleaseQueue(account, wallet, now);
        return order;
    }

    /// <summary>
    /// R3: a new SMS pack moves every unexpired SMS lot's expiry out to the new pack's. Plan and Refill
    /// lots keep theirs: they belong to a billing cycle (R7, R8).
    /// </summary>
    private static void ExtendSmsLots(LedgerSession s, AccountState account, WalletState wallet, DateTimeOffset newExpiry, long orderId)
    {
        var moved = false;
        foreach (var lot in wallet.Lots)
        {
            if (lot.ExpiresAt is not { } old || old >= newExpiry || lot.Kind is LotKind.Plan or LotKind.Refill) continue;
            s.Postings.ExtendExpiry(account, wallet, lot, newExpiry, orderId);
            moved = true;
        }
        if (moved) wallet.ResortLots();
    }

    private static Actor ParseActor(string stored)
    {
        var colon = stored.IndexOf(':');
        return colon < 0 ? new Actor("unknown", stored) : new Actor(stored[..colon], stored[(colon + 1)..]);
    }
}
