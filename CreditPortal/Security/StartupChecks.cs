using CreditPortal.Api;
using CreditPortal.Clock;
using CreditPortal.Identity;

namespace CreditPortal.Security;

/// <summary>
/// Settings the app refuses to start with (issue #12). In Production: the demo seed (its passwords are printed in the
/// README) and the manual clock (a support key could move time and expire everyone's credits). Anywhere: a configured
/// API key short enough to guess.
/// </summary>
public static class StartupChecks
{
    /// <summary>The shortest API key the configuration may set: 32 characters.</summary>
    public const int MinConfiguredKeyLength = 32;

    public static IReadOnlyList<string> Refusals(IConfiguration configuration, IHostEnvironment environment)
    {
        var refusals = new List<string>();
        if (environment.IsProduction())
        {
            if (configuration.GetValue<bool>("Demo:Seed"))
                refusals.Add("Demo:Seed is true in Production. The demo logins' passwords are public (README): set Demo:Seed=false "
                    + "and create the first support login with `add-support-user EMAIL`.");
            var clock = configuration.GetSection(ClockOptions.Section).Get<ClockOptions>() ?? new ClockOptions();
            if (clock.IsManual)
                refusals.Add("Clock:Mode is Manual in Production. A manual clock is for demos and tests (PUT /api/v1/clock moves it): "
                    + "set Clock:Mode=System.");
        }
        var key = configuration[ApiKeyBootstrap.Setting]?.Trim();
        if (!string.IsNullOrEmpty(key) && key.Length < MinConfiguredKeyLength)
            refusals.Add($"{ApiKeyBootstrap.Setting} is {key.Length} characters long; a configured API key needs at least "
                + $"{MinConfiguredKeyLength} (e.g. `openssl rand -base64 32`).");
        try
        {
            (configuration.GetSection(SessionLifetimeOptions.Section).Get<SessionLifetimeOptions>() ?? new SessionLifetimeOptions()).Check();
            (configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions()).Check();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            refusals.Add(e.Message);
        }
        return refusals;
    }
}
