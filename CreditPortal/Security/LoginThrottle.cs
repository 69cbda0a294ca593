using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreditPortal.Security;

/// <summary>
/// Login attempts per IP address and per email (issue #12), with the rate limiters ASP.NET Core's rate-limiting
/// middleware is built on. The login form asks here itself instead of through the middleware because the email is
/// in the posted form, and because a throttled attempt must still render the login page (429, Retry-After and a
/// message), not an empty answer.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perIp;
    private readonly PartitionedRateLimiter<string> _perEmail;
    private readonly TimeSpan _window;

    public LoginThrottle(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _window = o.LoginWindow;
        _perIp = Sliding(o.LoginsPerIp, o.LoginWindow);
        _perEmail = Sliding(o.LoginsPerEmail, o.LoginWindow);
    }

    /// <summary>Takes one attempt for this address and email; null when allowed, otherwise how long to wait.</summary>
    public TimeSpan? TryAttempt(string ip, string email)
    {
        using (var byIp = _perIp.AttemptAcquire(ip))
            if (!byIp.IsAcquired) return RetryAfter(byIp);
        using (var byEmail = _perEmail.AttemptAcquire(email.Trim().ToUpperInvariant()))
            if (!byEmail.IsAcquired) return RetryAfter(byEmail);
        return null;
    }

    private TimeSpan RetryAfter(RateLimitLease lease)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : _window;

    // A sliding window in six segments: the attempts of the last window count, without the burst a fixed window allows
    // at its edge.
    private static PartitionedRateLimiter<string> Sliding(int permits, TimeSpan window) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, SegmentsPerWindow = 6, QueueLimit = 0, AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _perIp.Dispose();
        _perEmail.Dispose();
    }
}
