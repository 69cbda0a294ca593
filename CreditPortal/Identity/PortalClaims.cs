using System.Security.Claims;

namespace CreditPortal.Identity;

/// <summary>Claims the portal adds to the login cookie so pages know the user's account without a query.</summary>
public static class PortalClaims
{
    public const string AccountId = "creditportal:account";

    public static long? GetAccountId(this ClaimsPrincipal user)
        => long.TryParse(user.FindFirstValue(AccountId), out var id) ? id : null;

    public static bool IsSupport(this ClaimsPrincipal user) => user.IsInRole(PortalRoles.Support);

    public static bool IsOwner(this ClaimsPrincipal user) => user.IsInRole(PortalRoles.Owner);
}
