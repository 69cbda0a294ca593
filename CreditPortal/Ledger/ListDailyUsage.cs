namespace CreditPortal.Ledger;

/// <summary>
/// Per account, list, channel and local day: what was sent and refused. Kept in the same transaction as
/// each decision so caps (R6), the daily limit (R7) and reports (R12) read a few rows instead of
/// scanning consumptions.
/// </summary>
public sealed class ListDailyUsage
{
    public long AccountId { get; set; }
    public long ListId { get; set; }
    public Channel Channel { get; set; }
    public DateOnly LocalDate { get; set; }
    public long Messages { get; set; }
    public long Credits { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
    public long RejectedMessages { get; set; }
}
