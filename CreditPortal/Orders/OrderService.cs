using System.Security.Cryptography;
using System.Text;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Orders;

public sealed record OrderResult(long OrderId, OrderStatus Status, long? LotId, string? DeclineReason, long Credits, decimal Price,
    string Currency, bool Replayed);

/// <summary>
/// Buying credits (R3 packs, R8 charge now): record the order as Pending, ask the payment provider with a
/// key derived from the order, then book the outcome. The provider is called outside the ledger writer so
/// a slow payment never holds up consumptions.
/// </summary>
public sealed class OrderService(LedgerWriter writer, IPaymentProvider payments, PackCatalog catalog, CreditsOptions options)
{
    private readonly PendingOrders _inFlight = new();

    public async Task<OrderResult> OrderPackAsync(long accountId, string packId, string paymentToken, string idempotencyKey, Actor actor,
        CancellationToken cancellationToken = default)
    {
        Validate.IdempotencyKey(idempotencyKey);
        var token = Validate.Text(paymentToken, "paymentToken", 200);
        var pack = catalog.Find(packId) ?? throw new LedgerValidationException("packId", $"'{packId}' is not a pack in the catalogue.");
        var draft = new OrderDraft(OrderKind.Pack, pack.Channel, pack.Id, pack.Credits, pack.Price, pack.Currency, token, idempotencyKey,
            Hash("pack", pack.Id, token));
        return await PlaceAsync(accountId, draft, actor, cancellationToken);
    }

    /// <summary>R8: buys the quoted refill now; the quote is recomputed at the moment of ordering.</summary>
    public async Task<OrderResult> ChargeNowAsync(long accountId, Channel channel, string paymentToken, string? idempotencyKey, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var token = Validate.Text(paymentToken, "paymentToken", 200);
        var key = idempotencyKey is null ? "charge-now-" + Guid.NewGuid().ToString("N") : Validate.IdempotencyKey(idempotencyKey);
        var quote = await writer.RunAsync(s => QuoteChargeNow.Execute(s, accountId, channel));
        if (quote.Credits <= 0)
            throw new LedgerRuleException("charge_now_unavailable", "Charge now would add no credits (the plan has no monthly credits).", "channel");
        var draft = new OrderDraft(OrderKind.ChargeNow, channel, null, quote.Credits, quote.Price, options.Currency, token, key,
            Hash("charge-now", channel.ToString(), token));
        return await PlaceAsync(accountId, draft, actor, cancellationToken);
    }

    private async Task<OrderResult> PlaceAsync(long accountId, OrderDraft draft, Actor actor, CancellationToken cancellationToken)
    {
        var (order, created) = await writer.RunAsync(s => RecordOrder.Begin(s, accountId, draft, actor));
        var replayed = !created;
        if (order.Status != OrderStatus.Pending) return ToResult(order, replayed);
        using (_inFlight.Enter(order.Id))
        {
            order = await PayAndBookAsync(order, cancellationToken);
        }
        return ToResult(order, replayed);
    }

    /// <summary>Pays a Pending order (idempotently) and books the result.</summary>
    internal async Task<Order> PayAndBookAsync(Order order, CancellationToken cancellationToken)
    {
        // Not the caller's token: the order must finish even if the caller went away, or the money and the
        // credits would disagree until recovery.
        var payment = await payments.ChargeAsync(new PaymentRequest(order.PaymentToken ?? "", order.Price, order.Currency,
            $"order-{order.Id}", $"CreditPortal order {order.Id}"), CancellationToken.None);
        return await writer.RunAsync(s => RecordOrder.Complete(s, order.Id, payment));
    }

    internal bool IsInFlight(long orderId) => _inFlight.Contains(orderId);

    private static OrderResult ToResult(Order order, bool replayed)
        => new(order.Id, order.Status, order.LotId, order.DeclineReason, order.Credits, order.Price, order.Currency, replayed);

    private static string Hash(params string[] parts)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts))), 0, 16);
}

/// <summary>Orders this process is paying right now (recovery must leave them alone).</summary>
internal sealed class PendingOrders
{
    private readonly HashSet<long> _ids = [];

    public IDisposable Enter(long id)
    {
        lock (_ids) _ids.Add(id);
        return new Leave(this, id);
    }

    public bool Contains(long id) { lock (_ids) return _ids.Contains(id); }

    private sealed class Leave(PendingOrders owner, long id) : IDisposable
    {
        public void Dispose() { lock (owner._ids) owner._ids.Remove(id); }
    }
}
