using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// Sends of one list on one channel in one period (only the local dates inside the report's range count).
/// <see cref="Credits"/> are the credits actually drawn (0 for Pro's unmetered sends); <see cref="Messages"/>
/// are the messages of accepted sends; refused sends are counted apart.
/// </summary>
public sealed record UsageRow(
    ReportPeriod Period,
    long ListId,
    string ListName,
    Channel Channel,
    long Credits,
    long Messages,
    long Accepted,
    long Rejected,
    long RejectedMessages);

/// <summary>
/// One period and channel over all lists: what was spent (from ListDailyUsage) beside what came in and what
/// expired (from the ledger's other entries).
/// </summary>
public sealed record SummaryRow(
    ReportPeriod Period,
    Channel Channel,
    long Credits,
    long Messages,
    long Accepted,
    long Rejected,
    long RejectedMessages,
    long CreditsAdded,
    long CreditsExpired);

/// <summary>The Summary and By list views of one account over one range.</summary>
/// <param name="HeldNow">Issue #17: credits held by active holds now, per channel: reserved, not spent (a capture is spent in the
/// period it happens).</param>
public sealed record UsageReport(ReportAccount Account, ReportRange Range, IReadOnlyList<UsageRow> ByList, IReadOnlyList<SummaryRow> Summary,
    IReadOnlyDictionary<Channel, long>? HeldNow = null)
{
    public long TotalHeldNow => HeldNow?.Values.Sum() ?? 0;

    public long TotalCredits => ByList.Sum(r => r.Credits);
    public long TotalMessages => ByList.Sum(r => r.Messages);
    public bool IsEmpty => ByList.Count == 0 && Summary.Count == 0;
}
