using CreditPortal.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace CreditPortal.Identity;

public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/access-denied";
                o.Cookie.Name = "CreditPortal.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
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
            .AddPolicy(PortalPolicies.Support, p => p.RequireRole(PortalRoles.Support))
            .AddPolicy(PortalPolicies.Portal, p => p.RequireRole(PortalRoles.Owner, PortalRoles.Support));
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
