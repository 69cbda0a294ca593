namespace CreditPortal.Ledger;

/// <summary>A list's allocation (R4) and monthly sending cap (R6) for one channel.</summary>
public sealed class ListChannelSettings
{
    public long ListId { get; set; }
    public Channel Channel { get; set; }
    public long AccountId { get; set; }
    public AllocationMode Mode { get; set; } = AllocationMode.Shared;

    /// <summary>Credits carved out of the wallet for this list; 0 when Shared.</summary>
    public long Assigned { get; set; }

    public bool CapEnabled { get; set; }
    public long? CapPerMonth { get; set; }
}
