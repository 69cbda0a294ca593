using CreditPortal.Clock;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Foundation;

public sealed class ClockTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddPortalClock(configuration).BuildServiceProvider();
    }

    [Fact]
    public void System_mode_uses_the_system_clock()
    {
        using var sp = Build(new() { ["Clock:Mode"] = "System" });
        Assert.Same(TimeProvider.System, sp.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Manual_mode_starts_at_Clock_Start_and_stands_still()
    {
        using var sp = Build(new() { ["Clock:Mode"] = "Manual", ["Clock:Start"] = "2026-01-31T23:30:00+01:00" });
        var clock = sp.GetRequiredService<TimeProvider>();
        Assert.IsType<ManualTimeProvider>(clock);
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 22, 30, 0, TimeSpan.Zero), clock.GetUtcNow());
        Thread.Sleep(20);
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 22, 30, 0, TimeSpan.Zero), clock.GetUtcNow());
    }

    [Fact]
    public void Manual_mode_without_a_start_is_a_configuration_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Clock:Mode"] = "Manual" }));
        Assert.Contains("Clock:Start", error.Message);
    }

    [Fact]
    public void Unknown_mode_is_a_configuration_error()
        => Assert.Throws<InvalidOperationException>(() => Build(new() { ["Clock:Mode"] = "Sundial" }));

    [Fact]
    public void Manual_clock_moves_forward_and_never_back()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        DateTimeOffset? seen = null;
        clock.Moved += t => seen = t;

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(start.AddDays(1), clock.GetUtcNow());
        Assert.Equal(start.AddDays(1), seen);

        Assert.Throws<ClockMovedBackwardsException>(() => clock.MoveTo(start));
        Assert.Equal(start.AddDays(1), clock.GetUtcNow());
    }
}
