using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CreditPortal.Orders;

/// <summary>
/// The only provider this project has (there is no real one to run locally): <c>tok_ok</c> pays,
/// <c>tok_decline</c> declines, anything else is declined as unknown. Idempotent per key, like a real one.
/// </summary>
public sealed class TestPaymentProvider : IPaymentProvider
{
    public const string PayingToken = "tok_ok";
    public const string DecliningToken = "tok_decline";

    private readonly ConcurrentDictionary<string, PaymentResult> _byKey = new();

    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
        => Task.FromResult(_byKey.GetOrAdd(request.IdempotencyKey, _ => Decide(request)));

    /// <summary>Both test cards can be saved (tok_decline is a card that declines every charge); anything else is not a card.</summary>
    public Task<CardSaveResult> SaveCardAsync(long accountId, string token, string idempotencyKey, CancellationToken cancellationToken)
        => Task.FromResult(token is PayingToken or DecliningToken
            ? new CardSaveResult(true, token, null)
            : new CardSaveResult(false, null, "unknown_payment_token"));

    private static PaymentResult Decide(PaymentRequest request) => request.Token switch
    {
        PayingToken => new PaymentResult(true, "test_ch_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request.IdempotencyKey)), 0, 8).ToLowerInvariant(), null),
        DecliningToken => new PaymentResult(false, null, "card_declined"),
        _ => new PaymentResult(false, null, "unknown_payment_token"),
    };
}
