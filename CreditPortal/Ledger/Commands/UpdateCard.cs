using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>
/// R7/R10: the owner's new card (already saved by the payment provider) becomes the one every renewal and auto-renewal
/// of the account charges, on both wallets; the renewals waiting for their next retry after a decline are due at once
/// instead of after the retry delay. Audited (the card's token is masked: the trail shows that it changed, not the card).
/// </summary>
public static class UpdateCard
{
    /// <returns>How many waiting renewals became due now.</returns>
    public static int Execute(LedgerSession s, long accountId, string token, Actor actor)
    {
        var account = s.Open(accountId);
        string? before = null;
        foreach (var wallet in account.Wallets)
        {
            before ??= wallet.Row.SavedPaymentToken;
            wallet.Row.SavedPaymentToken = token;
            s.Records.SaveWallet(wallet);
        }
        s.Audit.Record(account, actor, "payment.card", before is null ? null : Mask(before), Mask(token), null);
        return s.Records.RetryRenewalsNow(account, s.Now);
    }

    /// <summary>The last four characters, enough to tell two cards apart in the trail.</summary>
    public static string Mask(string token) => token.Length <= 4 ? "…" : "…" + token[^4..];
}
