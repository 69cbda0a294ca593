namespace CreditPortal.Scheduling;

/// <summary>Exponential backoff: <c>first</c> after one failure, doubling with each further failure, at most <c>max</c>.</summary>
public static class Backoff
{
    public static TimeSpan After(int failures, TimeSpan first, TimeSpan max)
    {
        var ticks = first.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 40));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
