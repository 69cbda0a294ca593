using CreditPortal.Ledger;

namespace CreditPortal.Reports;

/// <summary>
/// One list on one channel in this period and in the previous one (<see cref="ReportRange.PreviousPeriod"/>): credits
/// drawn and messages sent, from ListDailyUsage like the rest of the report.
/// </summary>
public sealed record ComparisonRow(long ListId, string ListName, Channel Channel, long Credits, long PreviousCredits, long Messages, long PreviousMessages)
{
    /// <summary>Change of credits in percent of the previous period's; null when the previous period spent nothing (no base to compare with).</summary>
    public decimal? CreditsChange => Change(PreviousCredits, Credits);

    /// <summary>Change of messages in percent of the previous period's; null when the previous period sent nothing.</summary>
    public decimal? MessagesChange => Change(PreviousMessages, Messages);

    /// <summary>(now − before) / before × 100, exact; null when <paramref name="before"/> is 0.</summary>
    public static decimal? Change(long before, long now) => before == 0 ? null : (now - before) * 100m / before;
}

/// <summary>
/// This period against the previous one, per list and channel (biggest spender now first; a list that spent only
/// before is there too, at 0 now) and per channel over all lists.
/// </summary>
public sealed record PeriodComparison(
    ReportRange Range,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    IReadOnlyList<ComparisonRow> ByList,
    IReadOnlyList<ComparisonRow> ByChannel)
{
    public bool IsEmpty => ByList.Count == 0;
}
