namespace CreditPortal.Scheduling;

/// <summary>One due event that has run. The key is unique: inserting it twice fails, which is what makes
/// each event run exactly once even across restarts.</summary>
public sealed class ScheduledEventRecord
{
    public required string Key { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset RanAt { get; set; }
}
