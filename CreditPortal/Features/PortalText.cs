using CreditPortal.Ledger;

namespace CreditPortal.Features;

/// <summary>The words the pages use for the ledger's enums (docs/domain.md's vocabulary, for people).</summary>
public static class PortalText
{
    public static readonly IReadOnlyList<Channel> Channels = [Channel.Email, Channel.Sms];

    public static string Name(this Channel channel) => channel == Channel.Sms ? "SMS" : "Email";

    public static string Name(this LotKind kind) => kind switch
    {
        LotKind.MonthlyFree => "Monthly free",
        LotKind.Plan => "Plan",
        LotKind.Purchased => "Purchased",
        LotKind.Refill => "Refill (charge now)",
        LotKind.Adjustment => "Adjustment (support)",
        _ => kind.ToString(),
    };

    public static string Name(this AllocationMode mode) => mode == AllocationMode.Assigned ? "Assigned" : "Shared";

    public static string Name(this AlertKind kind) => kind switch
    {
        AlertKind.LowBalance15 => "Low balance (15%)",
        AlertKind.LowBalance5 => "Low balance (5%)",
        AlertKind.Depleted => "Credits used up",
        AlertKind.AutoRenewed => "Auto-renewed",
        AlertKind.AutoRenewDeclined => "Auto-renew payment declined",
        AlertKind.ExpiringSoon => "Credits expire soon",
        AlertKind.UnusualUsage => "Unusual usage",
        _ => kind.ToString(),
    };

    /// <summary>What an alert means and what to do about it (R10).</summary>
    public static string Meaning(this AlertKind kind) => kind switch
    {
        AlertKind.LowBalance15 => "The remaining credits fell to 15% of the last purchase or below. Order more soon, or turn on auto-renew in Settings.",
        AlertKind.LowBalance5 => "The remaining credits fell to 5% of the last purchase or below. Sends will stop when they run out.",
        AlertKind.Depleted => "The credits are used up: new sends are refused, or held until credits arrive when \"hold when out of credits\" is on.",
        AlertKind.AutoRenewed => "Auto-renew bought the last pack again because the remaining credits fell to 10% of the last purchase.",
        AlertKind.AutoRenewDeclined => "Auto-renew tried to buy the last pack again but the payment was declined. It is retried later; check the payment method or order a pack yourself.",
        AlertKind.ExpiringSoon => "Credits that are not spent by their expiry leave the wallet. Plan a send before then; buying an SMS pack moves every earlier SMS expiry to the new pack's.",
        AlertKind.UnusualUsage => "An hour took far more credits than the same hour of the week usually does. If you did not plan it, revoke the API key that sent it: its next send is refused.",
        _ => "",
    };

    public static string Name(this ConsumptionStatus status) => status.ToString();
}
