using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Ledger.Commands;

/// <summary>A send to try without sending: the body of a consumption without its idempotency key.</summary>
public sealed record SendCheck(Channel Channel, long ListId, long Quantity, string? Country = null, string? Reference = null);

/// <summary>One lot a send would draw from, in R1 order.</summary>
public sealed record PreviewDraw(long LotId, LotKind Kind, DateTimeOffset? ExpiresAt, long Credits);

/// <summary>The list's allocation and cap as they would be after the send.</summary>
public sealed record PreviewList(long ListId, AllocationMode Mode, long? Assigned, bool CapEnabled, long? CapPerMonth, long SentThisMonth, long? CapLeft);

/// <summary>The low-balance alert the send would raise (R10), or the auto-renew purchase that replaces it.</summary>
public sealed record PreviewWarning(AlertKind? Alert, bool AutoRenew, string Detail);

/// <summary>What a send would do now.</summary>
public sealed record ConsumptionPreview(
    DateTimeOffset At,
    Channel Channel,
    long Quantity,
    long Credits,
    ConsumptionStatus Status,
    string? Reason,
    bool Unmetered,
    IReadOnlyList<PreviewDraw> Draws,
    PreviewList List,
    long WalletTotal,
    long WalletUnassigned,
    PreviewWarning? Warning,
    long? LowBalanceRemaining = null);

/// <summary>
/// The dry run of <see cref="Consume"/>: what the same send would do now, decided by the same code (the checks, the
/// status and reason, the R1 draws, R10's thresholds) over the writer's state, with nothing written and nothing
/// changed in memory. Like every command it first brings the account to now (events already due run, as the
/// scheduler would run them a moment later); the preview itself records nothing (docs/domain.md, "Dry run").
/// </summary>
public static class PreviewConsumption
{
    /// <param name="key">The API key the send would come through (its cap applies, issue #17).</param>
    public static ConsumptionPreview Execute(LedgerSession s, long accountId, SendCheck r, SendingKey? key = null)
    {
        var creditsPerMessage = Consume.CheckSend(s, r.Channel, r.Quantity, r.Country, r.Reference);
        var (account, wallet, list) = Consume.Target(s, accountId, r.Channel, r.ListId);
        var credits = checked(r.Quantity * creditsPerMessage);
        var at = s.Now;
        var (status, reason) = Consume.Decide(s, account, wallet, list, r.Quantity, credits, at, key);

        var accepted = status == ConsumptionStatus.Accepted;
        var unmetered = accepted && wallet.Row.Plan == Plan.Pro;
        var drawn = accepted && !unmetered ? credits : 0;
        var draws = drawn == 0
            ? []
            : ConsumptionOrder.Draws(wallet.Lots, drawn).Select(d => new PreviewDraw(d.Lot.Id, d.Lot.Kind, d.Lot.ExpiresAt, d.Take)).ToList();
        var assigned = list.Mode == AllocationMode.Assigned;
        var sent = list.SentThisMonth + (accepted ? r.Quantity : 0);
        var capped = list.CapEnabled && list.CapPerMonth is not null;
        var after = new PreviewList(list.ListId, list.Mode, assigned ? list.Assigned - drawn : null, list.CapEnabled, list.CapPerMonth, sent,
            capped ? Math.Max(0, list.CapPerMonth!.Value - sent - list.HeldMessages) : null);
        var total = wallet.Total - drawn;

        PreviewWarning? warning = null;
        if (accepted && s.Alerts.Evaluate(wallet, total) is { } outcome)
        {
            var last = wallet.Row.LastPurchaseCredits;
            if (outcome.Alert is { } alert)
                warning = new PreviewWarning(alert, false, BalanceAlerts.LowBalanceText(alert, wallet.Channel, total, last));
            else if (outcome.AutoRenew)
                warning = new PreviewWarning(null, true,
                    $"Your {wallet.Channel} credits would be at or below {s.Options.AutoRenewThresholdPercent}% of your last purchase: auto-renew would buy {wallet.Row.AutoRenewPack}.");
        }
        return new ConsumptionPreview(at, r.Channel, r.Quantity, credits, status, reason, unmetered, draws, after, total,
            total - wallet.AssignedSum + (assigned ? drawn : 0), warning,
            RunningLow.Remaining(wallet.Row.Plan, total, wallet.Row.LastGrantCredits));
    }
}
