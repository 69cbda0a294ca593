using System.Collections.Concurrent;
using CreditPortal.Orders;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>The test provider, but auto-renew charges decline while <see cref="DeclineAutoRenewals"/> is
/// above zero, and plan renewals while <see cref="DeclinePlanRenewals"/> is (each decline counts down). Idempotent per
/// key like the real contract; <see cref="Charges"/> counts the distinct charges (keys) asked for.</summary>
public sealed class ScriptedPaymentProvider : IPaymentProvider
{
    private readonly TestPaymentProvider _inner = new();
    private readonly ConcurrentDictionary<string, PaymentResult> _byKey = new();
    private int _declines;
    private int _planDeclines;

    public int DeclinePlanRenewals { get => _planDeclines; set => _planDeclines = value; }

    public int DeclineAutoRenewals { get => _declines; set => _declines = value; }
    public int Charges { get; private set; }

    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var result = _byKey.GetOrAdd(request.IdempotencyKey, _ =>
        {
            Charges++;
            if (request.Description.Contains("auto-renew") && Interlocked.Decrement(ref _declines) >= 0)
                return new PaymentResult(false, null, "card_declined");
            if (request.Description.Contains("plan renewal") && Interlocked.Decrement(ref _planDeclines) >= 0)
                return new PaymentResult(false, null, "card_declined");
            return _inner.ChargeAsync(request, cancellationToken).Result;
        });
        return Task.FromResult(result);
    }
}
