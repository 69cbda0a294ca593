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

/// <summary>
/// A consumption's place in the drill-down's order: decided ones by (decision instant, list, channel, status, id),
/// the order of <see cref="ReportIndexes.ConsumptionsByDecision"/>, so a page after or before a key starts with one
/// index seek; then the queued ones by id. Channel and status are the names the database stores.
/// </summary>
internal readonly record struct ConsumptionKey(bool IsQueued, long DecidedAt, long ListId, string Channel, string Status, long Id)
{
    public static ConsumptionKey Of(ConsumptionLine line) => line.DecidedAt is { } decided
        ? new(false, decided.UtcTicks, line.ListId, line.Channel.ToString(), line.Status.ToString(), line.Id)
        : new(true, 0, 0, "", "", line.Id);

    /// <summary>Before every decided consumption of a range that starts at <paramref name="start"/>.</summary>
    public static ConsumptionKey BeforeDecided(DateTimeOffset start) => new(false, start.UtcTicks - 1, 0, "", "", 0);

    /// <summary>After every decided consumption of a range that ends before <paramref name="end"/>.</summary>
    public static ConsumptionKey AfterDecided(DateTimeOffset end) => new(false, end.UtcTicks, 0, "", "", 0);

    public static ConsumptionKey BeforeQueued => new(true, 0, 0, "", "", 0);

    public static ConsumptionKey AfterQueued => new(true, 0, 0, "", "", long.MaxValue);
}
