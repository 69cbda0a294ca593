namespace CreditPortal.Clock;

/// <summary>Configuration section <c>Clock</c> (docs/domain.md §5).</summary>
public sealed class ClockOptions
{
    public const string Section = "Clock";

    /// <summary><c>System</c> (default) or <c>Manual</c>: a clock that only <c>PUT /api/v1/clock</c> moves.</summary>
    public string Mode { get; set; } = "System";

    /// <summary>With <c>Manual</c>: the starting instant, ISO-8601.</summary>
    public string? Start { get; set; }

    public bool IsManual => string.Equals(Mode, "Manual", StringComparison.OrdinalIgnoreCase);
}
