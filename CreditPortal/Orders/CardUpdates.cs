using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;

namespace CreditPortal.Orders;

/// <summary>What updating the card did: saved (or the bank's step to finish first), and the renewals it retried at once.</summary>
public sealed record CardUpdateResult(bool Saved, string? ActionUrl, IReadOnlyList<Order> Retried);

/// <summary>
/// R7/R10, after a declined renewal or auto-renew: the owner gives a new card. The payment provider saves it first
/// (Stripe: a SetupIntent for off-session charges, then the customer's default; the test provider: the token), outside the
/// ledger writer like every call to a provider; then it becomes both wallets' card and the renewals waiting for a retry are
/// charged to it at once, each with its own alert (and mail) when declined again.
/// </summary>
public sealed class CardUpdates(LedgerWriter writer, IPaymentProvider payments, PaymentsOptions setup, AutoRenewWork renewals, TimeProvider clock)
{
    public async Task<CardUpdateResult> UpdateAsync(long accountId, string paymentToken, string idempotencyKey, Actor actor,
        CancellationToken cancellationToken = default)
    {
        if (!setup.IsConfigured) throw PaymentsNotConfigured.Refusal();
        var token = Validate.Text(paymentToken, "paymentToken", 200);
        var key = Validate.IdempotencyKey(idempotencyKey);
        // An unknown account is refused before the provider is asked.
        await writer.RunAsync(s => s.Open(accountId));
        var saved = await payments.SaveCardAsync(accountId, token, $"card-{accountId}-{key}", cancellationToken);
        if (saved.RequiresAction) return new CardUpdateResult(false, saved.ActionUrl, []);
        if (!saved.Saved || saved.Token is not { } card)
            throw new LedgerValidationException("paymentToken", $"The card was not saved ({saved.Refusal ?? "refused"}): nothing changed. Try another card.",
                "card_not_saved");
        await writer.RunAsync(s => UpdateCard.Execute(s, accountId, card, actor));
        var retried = await renewals.RunAccountAsync(accountId, clock.GetUtcNow(), cancellationToken);
        return new CardUpdateResult(true, null, retried);
    }
}
