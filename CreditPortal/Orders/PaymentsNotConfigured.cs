using CreditPortal.Ledger;

namespace CreditPortal.Orders;

/// <summary>Ordering while no payment provider is configured (API: 422 <c>payments_not_configured</c>). Nothing changed.</summary>
public static class PaymentsNotConfigured
{
    public const string Code = "payments_not_configured";

    public const string Text = "Payments are not set up on this server, so nothing can be bought: nothing was charged and no credits were granted.";

    public static LedgerRuleException Refusal() => new(Code, Text);
}
