namespace CreditPortal.Scheduling;

/// <summary>Configuration section <c>Scheduling</c>: how long work that failed is set aside before it is tried again.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>The first wait after a failure; each further failure doubles it.</summary>
    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two tries.</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Readiness reports the scheduler as lagging when due work waits longer than this.</summary>
    public TimeSpan LagLimit { get; set; } = TimeSpan.FromMinutes(5);
}
