using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>One consumption in a drill-down or in the Consumptions sheet.</summary>
/// <param name="Credits">What the request costs: messages × credits per message.</param>
/// <param name="CreditsDrawn">What left the wallet: the credits of an accepted, metered send; otherwise 0.</param>
public sealed record ConsumptionLine(
    long Id,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    long ListId,
    string ListName,
    Channel Channel,
    string? Country,
    long Messages,
    int CreditsPerMessage,
    long Credits,
    long CreditsDrawn,
    ConsumptionStatus Status,
    string? Reason,
    string? Reference);

/// <summary>
/// Which consumptions a drill-down shows. Decided ones (accepted or rejected) belong to the local day they were
/// decided on, like the report's rows; queued ones, not decided yet, to the day they were requested.
/// <see cref="Status"/> null: every decided one, then the queued ones.
/// </summary>
public sealed record ConsumptionQuery(DateOnly From, DateOnly To, long? ListId = null, Channel? Channel = null, ConsumptionStatus? Status = null);

/// <summary>A page of rows and how many there are in all.</summary>
public sealed record ReportPage<T>(IReadOnlyList<T> Items, long Count);
