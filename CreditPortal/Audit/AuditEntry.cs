namespace CreditPortal.Audit;

/// <summary>R11: who changed what on an account, before → after, and why. Append-only: nothing in the
/// app updates or deletes these rows.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? Reason { get; set; }
}
