namespace CreditPortal.Ledger;

// Read models shared by the portal pages and the HTTP API (same numbers everywhere).

public sealed record LotView(long Id, LotKind Kind, long Quantity, long Remaining, DateTimeOffset? ExpiresAt, string Source, DateTimeOffset CreatedAt);

public sealed record ListView(long Id, string Name, AllocationMode Mode, long Assigned, bool CapEnabled, long? CapPerMonth, long SentThisMonth);

public sealed record WalletView(
    long AccountId,
    Channel Channel,
    Plan Plan,
    long Total,
    long Unassigned,
    int Queued,
    IReadOnlyList<LotView> Lots,
    IReadOnlyList<ListView> Lists,
    long? SubscriberCount,
    long? MonthlyCredits,
    bool MonthlyLocked,
    DateTimeOffset? CycleEndsAt,
    bool AutoRenew,
    string? LastPurchasePackId,
    long LastPurchaseCredits,
    long SentToday,
    long? NextSubscriberCount = null,
    long? NextMonthlyCredits = null,
    long LastGrantCredits = 0,
    string? AutoRenewPackId = null,
    long Held = 0,
    IReadOnlyList<HoldView>? Holds = null)
{
    /// <summary>Issue #17: the wallet's active holds (none when not read: the balance at a past instant).</summary>
    public IReadOnlyList<HoldView> ActiveHolds => Holds ?? [];

    /// <summary>R9 "running low": the credits left when at or below 15% of the last purchase or cycle grant, else null.</summary>
    public long? RunningLowRemaining => Rules.RunningLow.Remaining(Plan, Total, LastGrantCredits);
}

public sealed record ConsumptionView(long Id, DateTimeOffset At, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, Channel Channel, long ListId,
    long Quantity, long Credits, ConsumptionStatus Status, string? Reason, string? Reference, string? Country);

public sealed record ConsumptionFilter(DateOnly? From = null, DateOnly? To = null, long? ListId = null, ConsumptionStatus? Status = null,
    Channel? Channel = null);

public sealed record ConsumptionPage(IReadOnlyList<ConsumptionView> Items, long? NextAfterId);

public sealed record AlertView(long Id, DateTimeOffset At, Channel Channel, AlertKind Kind, string Detail, DateTimeOffset? DeliveredAt);

public sealed record LedgerEntryView(long Id, DateTimeOffset At, Channel Channel, LedgerEntryKind Kind, long Quantity, long AssignedDelta, long? LotId,
    long? ListId, long? ConsumptionId, long? OrderId, string Actor, string? Reason, string? Detail, long HeldDelta = 0, long? HoldId = null);

public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string? Before, string? After, string? Reason);

/// <summary>Which ledger entries to read: a channel, local dates of the account's zone (both inclusive).</summary>
public sealed record LedgerFilter(Channel? Channel = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>Issue #17: a hold (the API's answer and the Balance page's list).</summary>
public sealed record HoldView(long Id, Channel Channel, long ListId, long Quantity, string? Country, long Credits, long Held, HoldStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, long? CapturedQuantity, long? ConsumptionId, string? Reference)
{
    public static HoldView Of(Hold h) => new(h.Id, h.Channel, h.ListId, h.Quantity, h.Country, h.Credits, h.Held, h.Status, h.CreatedAt, h.ExpiresAt,
        h.EndedAt, h.CapturedQuantity, h.ConsumptionId, h.Reference);
}
