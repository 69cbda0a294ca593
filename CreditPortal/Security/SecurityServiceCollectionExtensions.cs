using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using CreditPortal.Api;
using CreditPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreditPortal.Security;

/// <summary>Secrets, transport and rate limits (issue #12): registration and the pipeline's security steps.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>The rate-limiter policy on account and API-key creation.</summary>
    public const string CreationPolicy = "creation";

    /// <summary>The data-protection application name: fixed, so a new build, path or container reads the same key ring.</summary>
    public const string ApplicationName = "CreditPortal";

    public static IServiceCollection AddPortalSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).Validate(o =>
        {
            o.Check();
            return true;
        });
        services.AddSingleton<SecurityLog>();
        services.AddSingleton<LoginThrottle>();

        // Login and antiforgery cookies are encrypted with these keys: in the database, they survive restarts and new
        // containers (otherwise everyone is logged out and every open form fails after a deploy).
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<CreditPortalDbContext>();

        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false; // the portal does not speak for other hosts of the domain
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Every API key has its own token bucket: one busy sender cannot starve the others, and a burst is fine.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity is ApiKeyIdentity caller
                    ? RateLimitPartition.GetTokenBucketLimiter($"key:{caller.Key.Id}", _ => ApiBucket(http))
                    : RateLimitPartition.GetNoLimiter("portal"));
            o.AddPolicy(CreationPolicy, http => RateLimitPartition.GetFixedWindowLimiter(CallerOf(http), _ =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return new FixedWindowRateLimiterOptions { PermitLimit = limits.CreationsPerWindow, Window = limits.CreationWindow, QueueLimit = 0 };
            }));
            o.OnRejected = (context, _) => RejectAsync(context);
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions ApiBucket(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.ApiBurst, TokensPerPeriod = limits.ApiPerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0, AutoReplenishment = true,
        };
    }

    private static string CallerOf(HttpContext http) => http.User.Identity is ApiKeyIdentity caller
        ? $"key:{caller.Key.Id}"
        : $"ip:{http.Connection.RemoteIpAddress}";

    /// <summary>429 as problem+json with Retry-After, like every other API error.</summary>
    private static async ValueTask RejectAsync(OnRejectedContext context)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        ApiProblems.SetRetryAfter(context.HttpContext.Response, wait);
        await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
            $"Too many requests for this API key; retry after {seconds} s.", "rate_limited");
    }

    /// <summary>
    /// Transport, first in the pipeline. Behind a TLS-terminating proxy (<c>ForwardedHeaders:Enabled</c>), the proxy's
    /// X-Forwarded-For/Proto give the client's address and the original scheme; only proxies on loopback or listed in
    /// <c>ForwardedHeaders:KnownProxies</c> are believed. HSTS in Production (the middleware itself skips plain HTTP and
    /// localhost). HTTPS redirection only when the app itself listens on HTTPS: a plain-HTTP loopback listener (tests,
    /// benchmarks, a proxy's upstream) keeps answering without redirects.
    /// </summary>
    public static WebApplication UsePortalTransport(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("ForwardedHeaders:Enabled"))
        {
            var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            foreach (var proxy in app.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            app.UseForwardedHeaders(options);
        }
        if (app.Environment.IsProduction())
        {
            app.UseHsts();
            app.UseSecureCookies();
        }
        if (ListensOnHttps(app.Configuration)) app.UseHttpsRedirection();
        return app;
    }

    /// <summary>
    /// Production: every cookie the app sets is <c>Secure</c>, whatever scheme the request reached the app by (a TLS proxy
    /// may forward plain HTTP). A browser then sends it back over HTTPS only.
    /// </summary>
    private static void UseSecureCookies(this WebApplication app) => app.Use(async (context, next) =>
    {
        // Registered first, so it runs last of the OnStarting callbacks: it sees every cookie set while the request ran.
        context.Response.OnStarting(() =>
        {
            var cookies = context.Response.Headers.SetCookie;
            if (cookies.Count > 0)
                context.Response.Headers.SetCookie = new Microsoft.Extensions.Primitives.StringValues(cookies
                    .Select(c => c is null || c.Contains("; secure", StringComparison.OrdinalIgnoreCase) ? c : c + "; secure")
                    .ToArray());
            return Task.CompletedTask;
        });
        await next();
    });

    /// <summary>Whether any configured endpoint is HTTPS (<c>urls</c>, <c>https_ports</c>, Kestrel endpoints).</summary>
    public static bool ListensOnHttps(IConfiguration configuration)
    {
        static bool Https(string? url) => url?.Contains("https://", StringComparison.OrdinalIgnoreCase) == true;
        if (Https(configuration["urls"]) || !string.IsNullOrWhiteSpace(configuration["https_ports"])) return true;
        return configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => Https(e["Url"]));
    }
}
