using System.Security.Claims;
using CreditPortal.Ledger;

namespace CreditPortal.Identity;

/// <summary>Who a signed-in person is to the ledger: support staff act as <see cref="Actor.Support"/> (the
/// service then asks for a reason where R11 requires one), everyone else as the account's owner.</summary>
public static class PortalActors
{
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.Name;
        if (user.Identity?.IsAuthenticated != true || string.IsNullOrWhiteSpace(name))
            throw new InvalidOperationException("Only a signed-in user can act on an account.");
        return user.IsSupport() ? Actor.Support(name) : Actor.Owner(name);
    }
}
