using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Ledger.Commands;

/// <summary>R8: what "Charge now" would cost and give, now, for a Standard wallet.</summary>
public static class QuoteChargeNow
{
    public static ChargeNowQuote Execute(LedgerSession s, long accountId, Channel channel)
    {
        var account = s.Open(accountId);
        return For(s, account, account.Wallet(channel));
    }

    internal static ChargeNowQuote For(LedgerSession s, State.AccountState account, State.WalletState wallet)
    {
        var row = wallet.Row;
        if (row.Plan != Plan.Standard || row.CycleAnchor is not { } anchor)
            throw new LedgerRuleException("charge_now_unavailable", "Charge now is only available on the Standard plan.", "channel");
        var subscribers = row.SubscriberCount ?? 0;
        var today = account.Calendar.LocalDate(s.Now);
        return ChargeNowQuote.Compute(
            s.Pricing.StandardPrice(subscribers),
            s.Pricing.StandardCredits(subscribers),
            BillingCycle.DaysLeft(anchor, row.CycleIndex, today),
            BillingCycle.DaysIn(anchor, row.CycleIndex));
    }
}
