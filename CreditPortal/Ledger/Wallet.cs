namespace CreditPortal.Ledger;

/// <summary>An account's credits for one channel: its lots, its plan, and the list allocations made
/// from it. The balance itself is never stored here: it is the sum of the lots' remaining.</summary>
public sealed class Wallet
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public Channel Channel { get; set; }

    public Plan Plan { get; set; } = Plan.Packs;

    /// <summary>Local date the current plan started; billing cycles run in whole months from it.</summary>
    public DateOnly? CycleAnchor { get; set; }

    /// <summary>0 for the first cycle after <see cref="CycleAnchor"/>.</summary>
    public int CycleIndex { get; set; }

    /// <summary>When the current billing cycle ends (and the next one starts).</summary>
    public DateTimeOffset? CycleEndsAt { get; set; }

    /// <summary>Standard plan: credits and price follow the subscriber count.</summary>
    public long? SubscriberCount { get; set; }

    /// <summary>Monthly plan: the chosen volume tier.</summary>
    public long? MonthlyCredits { get; set; }

    /// <summary>A new Standard subscriber count chosen mid-cycle: it applies (credits and price) from the next cycle.</summary>
    public long? NextSubscriberCount { get; set; }

    /// <summary>A new Monthly tier chosen mid-cycle: it applies from the next cycle.</summary>
    public long? NextMonthlyCredits { get; set; }

    /// <summary>R7: once on Monthly, never back.</summary>
    public bool MonthlyLocked { get; set; }

    public bool AutoRenew { get; set; }

    /// <summary>R10: the pack auto-renew buys, chosen by the owner; null: the last pack bought.</summary>
    public string? AutoRenewPackId { get; set; }

    /// <summary>What auto-renew buys now: the chosen pack, else the last one bought (null: nothing to renew).</summary>
    public string? AutoRenewPack => AutoRenewPackId ?? LastPurchasePackId;

    /// <summary>R10 measures thresholds against the last purchase; auto-renew buys this pack again.</summary>
    public string? LastPurchasePackId { get; set; }
    public long LastPurchaseCredits { get; set; }

    /// <summary>R9's "running low" at send time measures against this: the credits of the last pack purchase or of the
    /// last plan cycle grant, whichever came last (0: neither yet, no warning).</summary>
    public long LastGrantCredits { get; set; }

    /// <summary>The payment token of the last paid order, used by auto-renew.</summary>
    public string? SavedPaymentToken { get; set; }

    /// <summary>Bit per alert threshold that may still fire (R10: one alert each); re-armed when the
    /// remaining rises above it again.</summary>
    public int ArmedAlerts { get; set; } = WalletAlertBits.All;

    /// <summary>False after auto-renew triggered, until the remaining rises above the threshold.</summary>
    public bool AutoRenewArmed { get; set; } = true;

    /// <summary>R9: with consumptions queued, the next local midnight at which a new day (or month) may
    /// release them; null when nothing is queued.</summary>
    public DateTimeOffset? QueueReleaseCheckAt { get; set; }
}

public static class WalletAlertBits
{
    public const int LowBalance15 = 1;
    public const int LowBalance5 = 2;
    public const int Depleted = 4;
    public const int All = LowBalance15 | LowBalance5 | Depleted;
}
