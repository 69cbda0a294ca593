using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// One ledger entry of the history view: purchases, top-ups, plan credits, refills, adjustments, expiries (one
/// line per part of the R5 split, with the list it was taken from) and allocation changes. Consumption entries
/// are not repeated here; the Consumptions view shows each send once.
/// </summary>
/// <param name="HeldDelta">Issue #17: credits into (+) or out of (−) holds; a <c>Hold</c> entry moves credits from the lot's
/// drawable remaining (<paramref name="Quantity"/> −) into the hold (+), a <c>HoldReleased</c> the other way.</param>
public sealed record LedgerLine(
    long Id,
    DateTimeOffset At,
    Channel Channel,
    LedgerEntryKind Kind,
    long Quantity,
    long AssignedDelta,
    long HeldDelta,
    long? LotId,
    LotKind? LotKind,
    long? ListId,
    string? ListName,
    long? OrderId,
    string Actor,
    string? Reason,
    string? Detail);
