using CreditPortal.Orders;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// The test provider behind a switch: while <see cref="Down"/>, every charge fails as an unreachable provider's
/// client does (after <see cref="Delay"/>, a <see cref="TimeoutException"/>), without reaching the provider.
/// </summary>
public sealed class SwitchablePaymentProvider : IPaymentProvider
{
    private readonly TestPaymentProvider _provider = new();
    private int _failed;

    public volatile bool Down;
    public TimeSpan Delay = TimeSpan.Zero;

    public int Failed => Volatile.Read(ref _failed);

    public async Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        if (!Down) return await _provider.ChargeAsync(request, cancellationToken);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        Interlocked.Increment(ref _failed);
        throw new TimeoutException("The payment provider did not answer in time.");
    }
}
