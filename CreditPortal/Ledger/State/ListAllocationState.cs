namespace CreditPortal.Ledger.State;

/// <summary>A list's allocation and cap for one channel, as the writer holds it.</summary>
public sealed class ListAllocationState
{
    public long ListId { get; init; }
    public AllocationMode Mode { get; set; }
    public long Assigned { get; set; }
    public bool CapEnabled { get; set; }
    public long? CapPerMonth { get; set; }

    /// <summary>Messages sent (accepted) in the current local month (R6).</summary>
    public long SentThisMonth { get; set; }

    /// <summary>Issue #17: messages of the list's active holds on this channel: they count against the monthly cap (R6) while held.</summary>
    public long HeldMessages { get; set; }
}
