namespace CreditPortal.Ledger;

public enum Channel { Email, Sms }

/// <summary>Where a lot's credits came from (docs/domain.md §1).</summary>
public enum LotKind { MonthlyFree, Plan, Purchased, Refill, Adjustment }

/// <summary>R7.</summary>
public enum Plan { Packs, Free, Standard, Pro, Monthly }

/// <summary>R4: a list draws from the shared pool or only from its own assignment.</summary>
public enum AllocationMode { Shared, Assigned }

public enum ConsumptionStatus { Accepted, Queued, Rejected }

public enum OrderKind { Pack, ChargeNow, AutoRenew, Plan, PlanRenewal }

public enum OrderStatus { Pending, Paid, Declined, RequiresAction }

public enum AlertKind { LowBalance15, LowBalance5, Depleted, AutoRenewed, AutoRenewDeclined, ExpiringSoon, UnusualUsage }

public enum AutoRenewAttemptStatus { Pending, Paid, Declined, Cancelled }

/// <summary>Issue #17: a hold is Active until it is captured, voided, or reaches its end (docs/domain.md §6, "Holds").</summary>
public enum HoldStatus { Active, Captured, Voided, Expired }

/// <summary>Every kind of balance movement the ledger records.</summary>
public enum LedgerEntryKind
{
    /// <summary>R2 month-start (or creation / new product type) free credits.</summary>
    TopUp,
    /// <summary>R7 plan credits for a billing cycle.</summary>
    PlanCredits,
    Purchase,
    /// <summary>R8 charge-now refill.</summary>
    Refill,
    /// <summary>R11 support grant.</summary>
    Adjustment,
    Consumption,
    /// <summary>R5: one entry per part of the split (unassigned pool, each list).</summary>
    Expiry,
    /// <summary>R4: credits moved between the unassigned pool and a list's assignment.</summary>
    AllocationChange,
    /// <summary>R3: a new SMS pack moved this lot's expiry; no credits move.</summary>
    ExpiryExtended,
    /// <summary>R2: the account's time zone changed, so its free lot ends at the new zone's month start; no credits move.</summary>
    ExpiryMoved,
    /// <summary>Issue #17: credits of a lot move from available to a hold (<c>Quantity</c> −, <c>HeldDelta</c> +).</summary>
    Hold,
    /// <summary>Issue #17: held credits go back to available (void, expiry, or the rest of a capture): <c>Quantity</c> +,
    /// <c>HeldDelta</c> −. When the lot has ended meanwhile, an <see cref="Expiry"/> entry follows at the same instant.</summary>
    HoldReleased,
}

public static class ConsumptionReasons
{
    public const string InsufficientCredits = "insufficient_credits";
    public const string MonthlyCap = "monthly_cap";
    public const string DailyLimit = "daily_limit";

    /// <summary>The wallet already holds <see cref="LedgerOptions.MaxQueuedSendsPerAccount"/> queued sends: this one is
    /// refused instead of waiting in memory without bound.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>R9: the owner cancelled the send while it was queued; it was never sent and drew nothing.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Issue #17: the API key the send came through would pass its monthly credit cap.</summary>
    public const string KeyCap = "key_cap";

    /// <summary>Issue #17: a hold is refused while the wallet has queued sends (they are first in line for its credits).</summary>
    public const string SendsQueued = "sends_queued";
}
