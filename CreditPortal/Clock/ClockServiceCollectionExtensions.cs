using System.Globalization;

namespace CreditPortal.Clock;

public static class ClockServiceCollectionExtensions
{
    /// <summary>
    /// Registers the one <see cref="TimeProvider"/> everything reads time from (never the static system clock),
    /// chosen by <c>Clock:Mode</c>.
    /// </summary>
    public static IServiceCollection AddPortalClock(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ClockOptions.Section).Get<ClockOptions>() ?? new ClockOptions();
        services.AddSingleton(options);
        if (options.IsManual)
        {
            var start = string.IsNullOrWhiteSpace(options.Start)
                ? throw new InvalidOperationException("Clock:Mode=Manual needs Clock:Start (an ISO-8601 instant).")
                : DateTimeOffset.Parse(options.Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var manual = new ManualTimeProvider(start);
            services.AddSingleton(manual);
            services.AddSingleton<TimeProvider>(manual);
        }
        else if (!string.Equals(options.Mode, "System", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Clock:Mode must be System or Manual, not '{options.Mode}'.");
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
        }
        return services;
    }
}
