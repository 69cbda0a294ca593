using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.Options;

namespace CreditPortal.Identity;

/// <summary>
/// Whether a portal session still stands (issue #12, ASVS V3.3): the login exists, its security stamp is the one
/// the session was issued with (logout, a password change, a disable rotate it), it is not locked out, its roles
/// and account are those of the session, and the session is younger than <see cref="SessionLifetimeOptions.AbsoluteLifetime"/>.
/// The login cookie is checked on every request (<see cref="ValidateCookieAsync"/>), an open tab's circuit every
/// <see cref="SessionLifetimeOptions.RevalidationInterval"/> (<see cref="RevalidatingIdentityAuthenticationStateProvider"/>).
/// </summary>
public sealed class PortalSessions(UserManager<PortalUser> users, IOptions<IdentityOptions> identity, IOptions<SessionLifetimeOptions> options,
    TimeProvider clock)
{
    /// <summary>Null while the session stands, otherwise why it ended (for the log; never shown to the user).</summary>
    public async Task<string?> WhyEndedAsync(ClaimsPrincipal principal)
    {
        if (SignedInAt(principal) is { } at && clock.GetUtcNow() - at > options.Value.AbsoluteLifetime)
            return "its absolute lifetime is over";
        var user = await users.GetUserAsync(principal);
        if (user is null) return "the login no longer exists";
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (users.SupportsUserSecurityStamp && stamp != await users.GetSecurityStampAsync(user))
            return "it was ended (logout, password change or disable)";
        if (await users.IsLockedOutAsync(user)) return "the login is locked or disabled";
        var roles = await users.GetRolesAsync(user);
        var sessionRoles = principal.FindAll(identity.Value.ClaimsIdentity.RoleClaimType).Select(c => c.Value);
        if (!roles.Order(StringComparer.Ordinal).SequenceEqual(sessionRoles.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            return "the login's role changed";
        if (principal.GetAccountId() != user.AccountId) return "the login's account changed";
        return null;
    }

    /// <summary>When the session began (the claim <see cref="OnSigningIn"/> sets), or null for a session without it.</summary>
    public static DateTimeOffset? SignedInAt(ClaimsPrincipal principal)
        => long.TryParse(principal.FindFirstValue(PortalClaims.SignedInAt), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    private const string SignedInAtItem = ".creditportal.signedInAt";

    /// <summary>
    /// Every sign-in of a session (the login, a refresh after a password change) carries the session's start: kept in
    /// the cookie's properties, which survive refreshes, and copied into a claim so an open tab's circuit sees it too.
    /// </summary>
    public static Task OnSigningIn(CookieSigningInContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!context.Properties.Items.TryGetValue(SignedInAtItem, out var at) || at is null)
        {
            at = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
            context.Properties.Items[SignedInAtItem] = at;
        }
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var stale in identity.FindAll(PortalClaims.SignedInAt).ToList()) identity.RemoveClaim(stale);
            identity.AddClaim(new Claim(PortalClaims.SignedInAt, at));
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The login cookie on every request: a session that ended (<see cref="WhyEndedAsync"/>) is refused at once and its
    /// cookie deleted, so a logout ends every copy of the cookie, not only the browser's that clicked it. Static files
    /// are public and skip the check (no query per stylesheet).
    /// </summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null) return;
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null) return;
        var services = context.HttpContext.RequestServices;
        var ended = await services.GetRequiredService<PortalSessions>().WhyEndedAsync(context.Principal);
        if (ended is null) return;
        services.GetRequiredService<ILogger<PortalSessions>>().LogInformation("Session of {User} refused: {Reason}",
            context.Principal.Identity?.Name, ended);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
