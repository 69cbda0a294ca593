using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreditPortal.Identity;

internal sealed class PortalUserClaimsPrincipalFactory(
    UserManager<PortalUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options,
    IOptions<TwoFactorOptions> twoFactor)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.AccountId is { } accountId)
            identity.AddClaim(new Claim(PortalClaims.AccountId, accountId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (user.MustChangePassword)
            identity.AddClaim(new Claim(PortalClaims.PasswordChangeDue, "true"));
        if (twoFactor.Value.RequiredForSupport && !user.TwoFactorEnabled && identity.HasClaim(Options.ClaimsIdentity.RoleClaimType, PortalRoles.Support))
            identity.AddClaim(new Claim(PortalClaims.TwoFactorDue, "true"));
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
            identity.AddClaim(new Claim(PortalClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
