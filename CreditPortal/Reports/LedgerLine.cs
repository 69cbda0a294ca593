using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// One ledger entry of the history view: purchases, top-ups, plan credits, refills, adjustments, expiries (one
/// line per part of the R5 split, with the list it was taken from) and allocation changes. Consumption entries
/// are not repeated here; the Consumptions view shows each send once.
/// </summary>
public sealed record LedgerLine(
    long Id,
    DateTimeOffset At,
    Channel Channel,
    LedgerEntryKind Kind,
    long Quantity,
    long AssignedDelta,
    long? LotId,
    LotKind? LotKind,
    long? ListId,
    string? ListName,
    long? OrderId,
    string Actor,
    string? Reason,
    string? Detail);
