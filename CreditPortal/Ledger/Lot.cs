namespace CreditPortal.Ledger;

/// <summary>Credits that arrived together. Quantity never changes; Remaining only goes down (by
/// consumption or expiry), each step a ledger entry.</summary>
public sealed class Lot
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public long WalletId { get; set; }
    public Channel Channel { get; set; }
    public LotKind Kind { get; set; }
    public long Quantity { get; set; }
    public long Remaining { get; set; }

    /// <summary>Null: never expires (R1 draws these first).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Set when the expiry ran and the remaining left the wallet (R5).</summary>
    public DateTimeOffset? ExpiredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Issue #17: credits of this lot reserved by active holds. They are not in <see cref="Remaining"/> (which is what
    /// can be drawn), so Remaining + Held ≤ Quantity.</summary>
    public long Held { get; set; }

    /// <summary>Human-readable origin: "order 12", "product Ticketing", "plan cycle 2026-11-05", "support".</summary>
    public string Source { get; set; } = "";

    public long? OrderId { get; set; }

    /// <summary>Issue #17: the nearest expiry reminder (days before <see cref="ExpiresAt"/>) already sent or passed for the
    /// current expiry; null: none yet (Ledger/Rules/ExpiryReminders.cs).</summary>
    public int? RemindedDaysBefore { get; set; }
}
