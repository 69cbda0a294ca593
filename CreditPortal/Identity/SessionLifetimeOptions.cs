namespace CreditPortal.Identity;

/// <summary>Configuration section <c>Sessions</c>: how long a portal login lasts (issue #12, ASVS V3.3).</summary>
public sealed class SessionLifetimeOptions
{
    public const string Section = "Sessions";

    /// <summary>A session nobody used for this long ends (the cookie's sliding expiry).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its login, however busy: a copied cookie is not good for ever.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often an open portal tab (a Blazor circuit, which makes no HTTP requests) checks that its login
    /// still stands: logged out elsewhere, locked, disabled, another role or account.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    public void Check()
    {
        if (IdleTimeout <= TimeSpan.Zero) throw new InvalidOperationException("Sessions:IdleTimeout must be positive.");
        if (AbsoluteLifetime < IdleTimeout) throw new InvalidOperationException("Sessions:AbsoluteLifetime must be at least Sessions:IdleTimeout.");
        if (RevalidationInterval <= TimeSpan.Zero) throw new InvalidOperationException("Sessions:RevalidationInterval must be positive.");
    }
}
