using System.Collections.Concurrent;
using CreditPortal.Orders;

namespace CreditPortal.Demo;

/// <summary>
/// The payment provider of the demo history: the test provider's cards, plus the card the demo account paid
/// with first, which expires. That card pays until <paramref name="cardExpiresAt"/> and is declined after it
/// (<c>expired_card</c>), which is how the demo's auto-renewal gets declined (R10). Idempotent per key, like the
/// test provider. Only the demo history uses it; the running app keeps its own provider.
/// </summary>
public sealed class DemoPaymentProvider(TimeProvider clock, DateTimeOffset cardExpiresAt) : IPaymentProvider
{
    /// <summary>The first card's token.</summary>
    public const string ExpiringCard = "tok_demo_expiring_card";

    private readonly TestPaymentProvider _test = new();
    private readonly ConcurrentDictionary<string, PaymentResult> _byKey = new();

    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
        => request.Token == ExpiringCard
            ? Task.FromResult(_byKey.GetOrAdd(request.IdempotencyKey, _ => clock.GetUtcNow() < cardExpiresAt
                ? new PaymentResult(true, "demo_ch_" + request.IdempotencyKey, null)
                : new PaymentResult(false, null, "expired_card")))
            : _test.ChargeAsync(request, cancellationToken);
}
