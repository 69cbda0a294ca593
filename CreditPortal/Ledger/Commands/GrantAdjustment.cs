using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>R11: support grants an Adjustment lot; a reason is required. There is no negative grant,
/// no transfer and no refund (R3). With an idempotency key, a retry of the same grant returns the same lot (the key is
/// kept in the lot's source, checked in the single writer, so two retries cannot both grant); the same key for
/// another grant is a conflict.</summary>
public static class GrantAdjustment
{
    public static long Execute(LedgerSession s, long accountId, Channel channel, long quantity, DateTimeOffset? expiresAt, string reason, Actor actor,
        string? idempotencyKey = null)
        => ExecuteOnce(s, accountId, channel, quantity, expiresAt, reason, actor, idempotencyKey).LotId;

    /// <summary>As <see cref="Execute"/>; <c>Replayed</c> when the key's first grant was returned and nothing was granted now.</summary>
    public static (long LotId, bool Replayed) ExecuteOnce(LedgerSession s, long accountId, Channel channel, long quantity, DateTimeOffset? expiresAt,
        string reason, Actor actor, string? idempotencyKey)
    {
        Validate.Quantity(quantity);
        reason = Validate.Text(reason, "reason", 500);
        var source = idempotencyKey is null ? "support adjustment" : $"support adjustment, key {Validate.IdempotencyKey(idempotencyKey)}";
        if (idempotencyKey is not null && s.Records.FindAdjustment(accountId, source) is { } first)
        {
            // The lot is the first answer; a different request under the same key is refused, never granted.
            if (first.Channel != channel || first.Quantity != quantity || first.ExpiresAt != expiresAt)
                throw new IdempotencyConflictException(idempotencyKey);
            return (first.Id, true);
        }
        if (expiresAt is { } e && e <= s.Now) throw new LedgerValidationException("expiresAt", "expiresAt must be in the future.");
        var account = s.Open(accountId);
        var wallet = account.Wallet(channel);
        var lot = s.Postings.GrantLot(account, wallet, LotKind.Adjustment, quantity, expiresAt, source, null,
            LedgerEntryKind.Adjustment, actor, reason, s.Now);
        s.Audit.Record(account, actor, $"adjustment.{channel}", null, $"lot #{lot.Id}: +{quantity}" + (expiresAt is { } x ? $" until {x:O}" : ""), reason);
        s.Alerts.CheckThresholds(account, wallet, s.Now);
        s.Sends.ReleaseQueue(account, wallet, s.Now);
        return (lot.Id, false);
    }
}
