namespace CreditPortal.Orders;

public sealed record PaymentRequest(string Token, decimal Amount, string Currency, string IdempotencyKey, string Description);

public sealed record PaymentResult(bool Paid, string? Reference, string? DeclineReason);

/// <summary>
/// The edge to the payment provider. Implementations must be idempotent on
/// <see cref="PaymentRequest.IdempotencyKey"/>: a retried charge with the same key returns the first
/// result and never charges twice (that is how a crash between paying and recording is recovered).
/// </summary>
public interface IPaymentProvider
{
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);
}
