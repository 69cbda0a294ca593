using System.Globalization;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Commands;

public sealed record OrderDraft(OrderKind Kind, Channel Channel, string? PackId, long Credits, decimal Price, string Currency,
    string PaymentToken, string IdempotencyKey, string RequestHash);

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
        var existingId = FindByKey(s, accountId, draft.IdempotencyKey);
        if (existingId is { } id)
        {
            var existing = s.Store.LoadOrder(id)!;
            if (existing.RequestHash != draft.RequestHash) throw new IdempotencyConflictException(draft.IdempotencyKey);
            return new Begun(existing, Created: false);
        }
        var account = s.Open(accountId);
        var wallet = account.Wallet(draft.Channel);
        var orderId = s.Store.InsertOrder.ExecuteLong(accountId, wallet.Id, draft.Channel, draft.Kind, draft.PackId, draft.Credits, draft.Price,
            draft.Currency, draft.IdempotencyKey, draft.RequestHash, draft.PaymentToken, s.Now, actor.ToString());
        return new Begun(s.Store.LoadOrder(orderId)!, Created: true);
    }

    /// <summary>Books the payment outcome; a second call for a completed order changes nothing.</summary>
    /// <param name="at">When the purchase counts as made: now, or a scheduled attempt's due time.</param>
    public static Order Complete(LedgerSession s, long orderId, PaymentResult payment, DateTimeOffset? at = null)
    {
        var order = s.Store.LoadOrder(orderId) ?? throw new LedgerNotFoundException($"Order {orderId}");
        if (order.Status != OrderStatus.Pending) return order;
        var account = s.Open(order.AccountId);
        var wallet = account.Wallet(order.Channel);
        var now = at ?? s.Now;
        if (!payment.Paid)
        {
            s.Store.CompleteOrder.Execute(order.Id, OrderStatus.Declined, null, payment.DeclineReason ?? "declined", null, now);
            return s.Store.LoadOrder(order.Id)!;
        }

        long lotId;
        var actor = ParseActor(order.Actor);
        if (order.Kind == OrderKind.ChargeNow)
        {
            lotId = s.GrantLot(account, wallet, LotKind.Refill, order.Credits, wallet.Row.CycleEndsAt, $"order {order.Id} (charge now)",
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
            lotId = s.GrantLot(account, wallet, LotKind.Purchased, order.Credits, expiresAt, $"order {order.Id} ({order.PackId})",
                order.Id, LedgerEntryKind.Purchase, actor, order.Kind == OrderKind.AutoRenew ? "auto-renew" : "pack purchase", now).Id;
            // R10 measures from the last purchase: a new purchase is a new base and re-arms every alert.
            wallet.Row.LastPurchasePackId = order.PackId;
            wallet.Row.LastPurchaseCredits = order.Credits;
            wallet.Row.SavedPaymentToken = order.PaymentToken;
            wallet.Row.ArmedAlerts = WalletAlertBits.All;
            wallet.Row.AutoRenewArmed = true;
            s.SaveWallet(wallet);
        }
        s.Store.CompleteOrder.Execute(order.Id, OrderStatus.Paid, payment.Reference, null, lotId, now);
        s.CheckThresholds(account, wallet, now);
        s.ReleaseQueue(account, wallet, now);
        return s.Store.LoadOrder(order.Id)!;
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
            s.Store.SetLotExpiry.Execute(lot.Id, newExpiry);
            lot.ExpiresAt = newExpiry;
            s.Store.AddEntry(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = s.Now, Kind = LedgerEntryKind.ExpiryExtended,
                Quantity = 0, LotId = lot.Id, OrderId = orderId, Actor = Actor.System.ToString(), Reason = "new SMS pack extends expiry",
                Detail = $"{old.ToString("O", CultureInfo.InvariantCulture)} → {newExpiry.ToString("O", CultureInfo.InvariantCulture)}",
            });
            moved = true;
        }
        if (moved) wallet.ResortLots();
    }

    private static long? FindByKey(LedgerSession s, long accountId, string key)
    {
        using var r = s.Store.FindOrder.Query(accountId, key);
        return r.Read() ? r.GetInt64(0) : null;
    }

    private static Actor ParseActor(string stored)
    {
        var colon = stored.IndexOf(':');
        return colon < 0 ? new Actor("unknown", stored) : new Actor(stored[..colon], stored[(colon + 1)..]);
    }
}
