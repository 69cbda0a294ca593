using System.Security.Claims;
using CreditPortal.Ledger;

namespace CreditPortal.Identity;

/// <summary>Who a signed-in person is to the ledger: support staff act as <see cref="Actor.Support"/> (the
/// service then asks for a reason where R11 requires one), everyone else as the account's owner.</summary>
public static class PortalActors
{
    /// <summary>What an audit entry shows for support staff without a display name: owners read the trail, and a
    /// support email there would let them lock that login out on purpose (issue #12).</summary>
    public const string UnnamedSupport = "Support";

    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.Name;
        if (user.Identity?.IsAuthenticated != true || string.IsNullOrWhiteSpace(name))
            throw new InvalidOperationException("Only a signed-in user can act on an account.");
        return user.IsSupport() ? Actor.Support(SupportName(user)) : Actor.Owner(name);
    }

    private static string SupportName(ClaimsPrincipal user)
        => user.FindFirstValue(PortalClaims.DisplayName) is { Length: > 0 } display ? display : UnnamedSupport;
}
