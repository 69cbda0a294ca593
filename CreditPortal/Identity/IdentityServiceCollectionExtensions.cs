using CreditPortal.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreditPortal.Identity;

public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<SessionLifetimeOptions>().Bind(configuration.GetSection(SessionLifetimeOptions.Section)).Validate(o =>
        {
            o.Check();
            return true;
        });
        services.AddScoped<PortalSessions>();
        services.Configure<TwoFactorOptions>(configuration.GetSection(TwoFactorOptions.Section));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, PortalAuthorizationResultHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();

        // Cookies a script cannot read, that no other site's request carries, and that travel only over HTTPS in
        // Production (issue #12). Development and the tests serve plain HTTP on loopback, where Secure would lose them.
        // Antiforgery's own "Always" would refuse every request that reaches the app over plain HTTP (a TLS proxy
        // without forwarded headers, the loopback listener), so in Production SecureCookies marks its cookie instead.
        var secure = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "CreditPortal.Antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure<IOptions<SessionLifetimeOptions>>((o, sessions) =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/access-denied";
                o.Cookie.Name = "CreditPortal.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = secure;
                // Idle timeout: the cookie slides while it is used; the absolute lifetime is PortalSessions' check.
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = sessions.Value.IdleTimeout;
                o.Events.OnSigningIn = PortalSessions.OnSigningIn;
                o.Events.OnValidatePrincipal = PortalSessions.ValidateCookieAsync;
            }));

        services.AddIdentityCore<PortalUser>(o =>
            {
                // Billing data: a real password policy and lockout after repeated failures.
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CreditPortalDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<PortalUserClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Support, p => p.RequireRole(PortalRoles.Support).AddRequirements(new PasswordChangeDue(), new TwoFactorSetupDue()))
            .AddPolicy(PortalPolicies.Portal, p => p.RequireRole(PortalRoles.Owner, PortalRoles.Support)
                .AddRequirements(new PasswordChangeDue(), new TwoFactorSetupDue()));
        return services;
    }
}

public static class PortalPolicies
{
    /// <summary>Support staff only.</summary>
    public const string Support = "Support";

    /// <summary>Any portal user: an owner (for their own account) or support.</summary>
    public const string Portal = "Portal";
}
