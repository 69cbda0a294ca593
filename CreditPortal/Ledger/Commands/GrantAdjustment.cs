using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>R11: support grants an Adjustment lot; a reason is required. There is no negative grant,
/// no transfer and no refund (R3).</summary>
public static class GrantAdjustment
{
    public static long Execute(LedgerSession s, long accountId, Channel channel, long quantity, DateTimeOffset? expiresAt, string reason, Actor actor)
    {
        Validate.Quantity(quantity);
        reason = Validate.Text(reason, "reason", 500);
        if (expiresAt is { } e && e <= s.Now) throw new LedgerValidationException("expiresAt", "expiresAt must be in the future.");
        var account = s.Open(accountId);
        var wallet = account.Wallet(channel);
        var lot = s.Postings.GrantLot(account, wallet, LotKind.Adjustment, quantity, expiresAt, "support adjustment", null,
            LedgerEntryKind.Adjustment, actor, reason, s.Now);
        s.Audit.Record(account, actor, $"adjustment.{channel}", null, $"lot #{lot.Id}: +{quantity}" + (expiresAt is { } x ? $" until {x:O}" : ""), reason);
        s.Alerts.CheckThresholds(account, wallet, s.Now);
        s.Sends.ReleaseQueue(account, wallet, s.Now);
        return lot.Id;
    }
}
