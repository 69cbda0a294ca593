namespace CreditPortal.Security;

/// <summary>Configuration section <c>RateLimits</c> (issue #12): how much one client may ask for in a while.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Login attempts (form posts) from one IP address per <see cref="LoginWindow"/>.</summary>
    public int LoginsPerIp { get; set; } = 30;

    /// <summary>Login attempts for one email per <see cref="LoginWindow"/>, whatever the address: slows guessing one
    /// person's password from many addresses.</summary>
    public int LoginsPerEmail { get; set; } = 10;

    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>API requests per key: a bucket of this many tokens... (a campaign is one consumption request, so a sending
    /// system stays far below; the bucket stops a runaway script from starving everyone else)</summary>
    public int ApiBurst { get; set; } = 2000;

    /// <summary>...refilled with this many tokens per second (the sustained rate).</summary>
    public int ApiPerSecond { get; set; } = 1000;

    /// <summary>Accounts and API keys one caller may create per <see cref="CreationWindow"/>.</summary>
    public int CreationsPerWindow { get; set; } = 60;

    public TimeSpan CreationWindow { get; set; } = TimeSpan.FromMinutes(10);

    public void Check()
    {
        if (LoginsPerIp < 1 || LoginsPerEmail < 1 || ApiBurst < 1 || ApiPerSecond < 1 || CreationsPerWindow < 1)
            throw new InvalidOperationException("RateLimits: every limit must be at least 1.");
        if (LoginWindow <= TimeSpan.Zero || CreationWindow <= TimeSpan.Zero)
            throw new InvalidOperationException("RateLimits: LoginWindow and CreationWindow must be positive.");
    }
}
