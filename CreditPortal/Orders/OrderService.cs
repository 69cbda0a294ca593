using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Orders;

public sealed record OrderResult(long OrderId, OrderStatus Status, long? LotId, string? DeclineReason, long Credits, decimal Price,
    string Currency, bool Replayed)
{
    /// <summary>With <see cref="OrderStatus.RequiresAction"/>: where the owner finishes the payment, when the provider gave it.</summary>
    public string? ActionUrl { get; init; }
}

/// <summary>A plan change: <see cref="Order"/> is the paid order when the change cost money, null when it was free.</summary>
public sealed record PlanChangeResult(Plan Plan, OrderResult? Order);

/// <summary>
/// Buying credits (R3 packs, R8 charge now): record the order as Pending, ask the payment provider with a
/// key derived from the order, then book the outcome. The provider is called outside the ledger writer so
/// a slow payment never holds up consumptions.
/// </summary>
public sealed class OrderService(LedgerWriter writer, IPaymentProvider payments, PackCatalog catalog, CreditsOptions options,
    PaymentsOptions paymentSetup)
{
    private readonly PendingOrders _inFlight = new();

    public async Task<OrderResult> OrderPackAsync(long accountId, string packId, string paymentToken, string idempotencyKey, Actor actor,
        CancellationToken cancellationToken = default)
    {
        EnsurePaymentsConfigured();
        Validate.IdempotencyKey(idempotencyKey);
        var token = Validate.Text(paymentToken, "paymentToken", 200);
        var pack = catalog.Find(packId) ?? throw new LedgerValidationException("packId", $"'{packId}' is not a pack in the catalogue.");
        var draft = new OrderDraft(OrderKind.Pack, pack.Channel, pack.Id, pack.Credits, pack.Price, pack.Currency, token, idempotencyKey,
            Hash("pack", pack.Id, token));
        return await PlaceAsync(accountId, draft, actor, cancellationToken);
    }

    /// <summary>
    /// R8: buys the quoted refill now; the quote is recomputed at the moment of ordering. The caller's idempotency key
    /// is required: without one a retry after a lost answer would be a second refill, paid twice.
    /// </summary>
    public async Task<OrderResult> ChargeNowAsync(long accountId, Channel channel, string paymentToken, string? idempotencyKey, Actor actor,
        CancellationToken cancellationToken = default)
    {
        EnsurePaymentsConfigured();
        if (idempotencyKey is null)
            throw new LedgerRuleException("idempotency_key_required",
                "idempotencyKey is required for charge now: it is what makes a retried request pay only once.", "idempotencyKey");
        var key = Validate.IdempotencyKey(idempotencyKey);
        var token = Validate.Text(paymentToken, "paymentToken", 200);
        var quote = await writer.RunAsync(s => QuoteChargeNow.Execute(s, accountId, channel));
        if (quote.Credits <= 0)
            throw new LedgerRuleException("charge_now_unavailable", "Charge now would add no credits (the plan has no monthly credits).", "channel");
        var draft = new OrderDraft(OrderKind.ChargeNow, channel, null, quote.Credits, quote.Price, options.Currency, token, key,
            Hash("charge-now", channel.ToString(), token));
        return await PlaceAsync(accountId, draft, actor, cancellationToken);
    }

    /// <summary>R7: what moving to <paramref name="plan"/> costs now (nothing for Free, Packs, a return within a paid cycle).</summary>
    public Task<PlanQuote> QuotePlanAsync(long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits)
        => writer.RunAsync(s => ChangePlan.Quote(s, accountId, channel, plan, subscriberCount, monthlyCredits));

    /// <summary>
    /// R7: moves a wallet to a plan. A move that costs money is an order: charged first, and the plan changes only when
    /// the payment is booked (a decline changes nothing). A free move (Free, Packs, a new count from the next cycle, a
    /// return to a plan already paid this cycle) changes at once, with no order.
    /// </summary>
    public async Task<PlanChangeResult> ChangePlanAsync(long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits,
        string? paymentToken, string? idempotencyKey, Actor actor, CancellationToken cancellationToken = default)
    {
        var hash = Hash("plan", channel.ToString(), plan.ToString(), subscriberCount?.ToString(CultureInfo.InvariantCulture) ?? "",
            monthlyCredits?.ToString(CultureInfo.InvariantCulture) ?? "", paymentToken ?? "");
        // A retry of a paid change answers with its first order, even though the plan no longer needs paying for.
        if (idempotencyKey is not null && await writer.RunAsync(s => s.Records.FindOrder(accountId, idempotencyKey)) is { } first)
        {
            if (first.RequestHash != hash) throw new IdempotencyConflictException(idempotencyKey);
            return new PlanChangeResult(plan, ToResult(first, replayed: true));
        }

        var quote = await QuotePlanAsync(accountId, channel, plan, subscriberCount, monthlyCredits);
        if (!quote.NeedsPayment)
        {
            await writer.RunAsync(s => ChangePlan.Execute(s, accountId, channel, plan, subscriberCount, monthlyCredits, actor));
            return new PlanChangeResult(plan, null);
        }

        EnsurePaymentsConfigured();
        if (idempotencyKey is null)
            throw new LedgerRuleException("idempotency_key_required",
                $"idempotencyKey is required to move to the paid {plan} plan: it is what makes a retried request pay only once.", "idempotencyKey");
        var key = Validate.IdempotencyKey(idempotencyKey);
        var token = Validate.Text(paymentToken, "paymentToken", 200);
        var draft = new OrderDraft(OrderKind.Plan, channel, null, quote.Credits, quote.Price, options.Currency, token, key, hash)
        {
            Plan = plan, SubscriberCount = subscriberCount, MonthlyCredits = plan == Plan.Monthly ? monthlyCredits : null,
        };
        return new PlanChangeResult(plan, await PlaceAsync(accountId, draft, actor, cancellationToken));
    }

    private async Task<OrderResult> PlaceAsync(long accountId, OrderDraft draft, Actor actor, CancellationToken cancellationToken)
    {
        var (order, created) = await writer.RunAsync(s => RecordOrder.Begin(s, accountId, draft, actor));
        var replayed = !created;
        if (order.Status != OrderStatus.Pending || IsInFlight(order.Id)) return ToResult(order, replayed);
        PaymentResult? payment;
        using (_inFlight.Enter(order.Id))
        {
            try
            {
                // A retry of an order whose first answer was lost looks its payment up before anything else.
                (order, payment) = await PayAndBookAsync(order, lookUpFirst: replayed, cancellationToken);
            }
            catch (PaymentOutcomeUnknownException)
            {
                // Maybe charged, maybe not: the order stays Pending and recovery looks the payment up (never charges blindly).
                return ToResult(order, replayed);
            }
        }
        return ToResult(order, replayed) with { ActionUrl = payment?.ActionUrl };
    }

    /// <summary>
    /// Pays a Pending order (idempotently) and books the result. <paramref name="lookUpFirst"/>: the order may have been
    /// charged already (a crash, a timeout, a lost answer), so the provider is asked for that payment first and only a
    /// payment it never saw is charged, with the same key.
    /// </summary>
    internal async Task<(Order Order, PaymentResult? Payment)> PayAndBookAsync(Order order, bool lookUpFirst, CancellationToken cancellationToken)
    {
        var request = RequestFor(order);
        // Not the caller's token: the order must finish even if the caller went away, or the money and the
        // credits would disagree until recovery.
        var payment = (lookUpFirst ? await payments.FindAsync(request, CancellationToken.None) : null)
                      ?? await payments.ChargeAsync(request, CancellationToken.None);
        return (await writer.RunAsync(s => RecordOrder.Complete(s, order.Id, payment)), payment);
    }

    /// <summary>
    /// The provider's later word on a payment (its webhook): books a Pending or RequiresAction order once. An outcome
    /// that does not match the order (another amount or currency) is refused: money and credits must agree.
    /// </summary>
    public async Task<Order?> BookProviderOutcomeAsync(long orderId, long amountInCents, string currency, PaymentResult payment)
    {
        var order = await writer.RunAsync(s => s.Records.FindOrder(orderId));
        if (order is null || order.Status is not (OrderStatus.Pending or OrderStatus.RequiresAction)) return order;
        if (amountInCents != Cents(order.Price) || !string.Equals(currency, order.Currency, StringComparison.OrdinalIgnoreCase))
            throw new LedgerRuleException("payment_mismatch", $"The payment does not match order {orderId} (amount or currency).");
        return await writer.RunAsync(s => RecordOrder.Complete(s, orderId, payment));
    }

    /// <summary>Money in the currency's smallest unit (cents for EUR), as payment providers count it.</summary>
    public static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);

    internal static PaymentRequest RequestFor(Order order) => new(order.PaymentToken ?? "", order.Price, order.Currency, $"order-{order.Id}",
        order.Kind is OrderKind.AutoRenew or OrderKind.PlanRenewal
            ? $"CreditPortal {(order.Kind == OrderKind.PlanRenewal ? "plan renewal" : "auto-renew")}, order {order.Id}"
            : $"CreditPortal order {order.Id}")
    {
        AccountId = order.AccountId,
        OffSession = order.Kind is OrderKind.AutoRenew or OrderKind.PlanRenewal,
    };

    /// <summary>Whether money can be taken at all (<c>Payments:Provider</c> set); the pages offer ordering only then.</summary>
    public bool PaymentsConfigured => paymentSetup.IsConfigured;

    /// <summary>Refused before anything is recorded: with no provider nothing can be paid, so nothing may be granted.</summary>
    private void EnsurePaymentsConfigured()
    {
        if (!paymentSetup.IsConfigured) throw PaymentsNotConfigured.Refusal();
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
