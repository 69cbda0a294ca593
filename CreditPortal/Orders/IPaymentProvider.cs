namespace CreditPortal.Orders;

/// <summary>One charge. <see cref="AccountId"/> is whose money it is (a real provider keeps a customer per account);
/// <see cref="OffSession"/> marks a charge made while the owner is away (a renewal on the saved card), which a bank
/// cannot ask to confirm.</summary>
public sealed record PaymentRequest(string Token, decimal Amount, string Currency, string IdempotencyKey, string Description)
{
    public long AccountId { get; init; }
    public bool OffSession { get; init; }
}

/// <summary>
/// The provider's answer. <see cref="RequiresAction"/>: the owner's bank asks them to confirm the payment (3-D
/// Secure); it is not paid yet, and the outcome arrives later (the provider's webhook). <see cref="ActionUrl"/> is
/// where to finish it, when the provider gives one.
/// </summary>
public sealed record PaymentResult(bool Paid, string? Reference, string? DeclineReason)
{
    public bool RequiresAction { get; init; }
    public string? ActionUrl { get; init; }
}

/// <summary>
/// The answer to saving a card for later charges (renewals, auto-renew). <see cref="Token"/> is what later charges use
/// (with Stripe the PaymentMethod the SetupIntent confirmed). <see cref="RequiresAction"/>: the bank asks the owner to
/// confirm (3-D Secure) at <see cref="ActionUrl"/>; the card is not saved yet.
/// </summary>
public sealed record CardSaveResult(bool Saved, string? Token, string? Refusal)
{
    public bool RequiresAction { get; init; }
    public string? ActionUrl { get; init; }
}

/// <summary>
/// The edge to the payment provider. Implementations must be idempotent on
/// <see cref="PaymentRequest.IdempotencyKey"/>: a retried charge with the same key returns the first
/// result and never charges twice. When a charge's outcome is not known (a timeout, a crash between charging and
/// booking), it is resolved with <see cref="FindAsync"/>, never by charging again blindly.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Charges, or throws <see cref="PaymentOutcomeUnknownException"/> when the provider's answer did not arrive.</summary>
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>The outcome of an earlier charge under the request's idempotency key, or null when the provider has none
    /// (then charging with the same key is safe). The default suits providers whose charge itself is a replay by key.</summary>
    Task<PaymentResult?> FindAsync(PaymentRequest request, CancellationToken cancellationToken) => Task.FromResult<PaymentResult?>(null);

    /// <summary>Saves <paramref name="token"/> as the account's card for charges made while the owner is away (after a declined
    /// renewal, a new card); idempotent on <paramref name="idempotencyKey"/>. The default suits providers whose tokens need no
    /// setup: the token is the card.</summary>
    Task<CardSaveResult> SaveCardAsync(long accountId, string token, string idempotencyKey, CancellationToken cancellationToken)
        => Task.FromResult(new CardSaveResult(true, token, null));
}

/// <summary>The provider did not answer in time (or the connection broke): the charge may or may not have happened.
/// The order stays Pending and is resolved by looking the payment up.</summary>
public sealed class PaymentOutcomeUnknownException(string message, Exception? inner = null) : TimeoutException(message, inner);
