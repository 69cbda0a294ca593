namespace CreditPortal.Orders;

/// <summary>
/// The port when <c>Payments:Provider</c> is unset. <see cref="OrderService"/> refuses new orders before this is ever
/// asked; it answers only work already recorded (a due auto-renewal, an order stranded by a crash under an earlier
/// configuration), and declines it: with no provider, no money moved, so no credits may be booked.
/// </summary>
public sealed class UnconfiguredPaymentProvider : IPaymentProvider
{
    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
        => Task.FromResult(new PaymentResult(false, null, PaymentsNotConfigured.Code));

    public Task<CardSaveResult> SaveCardAsync(long accountId, string token, string idempotencyKey, CancellationToken cancellationToken)
        => Task.FromResult(new CardSaveResult(false, null, PaymentsNotConfigured.Code));
}
