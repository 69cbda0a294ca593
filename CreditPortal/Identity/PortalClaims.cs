using System.Security.Claims;

namespace CreditPortal.Identity;

/// <summary>Claims the portal adds to the login cookie so pages know the user's account without a query.</summary>
public static class PortalClaims
{
    public const string AccountId = "creditportal:account";

    /// <summary>Present while the login must set its own password: every portal page sends it to
    /// <see cref="PasswordChangeDue.PagePath"/> until it has.</summary>
    public const string PasswordChangeDue = "creditportal:password-change-due";

    /// <summary>Present while a support login must set up two-factor login (<see cref="TwoFactorSetupDue"/>).</summary>
    public const string TwoFactorDue = "creditportal:two-factor-due";

    /// <summary>Support staff's display name, the name their changes carry in the audit trail.</summary>
    public const string DisplayName = "creditportal:display-name";

    /// <summary>When the session began (UTC ticks), for the absolute session lifetime: sliding renewals and cookie
    /// refreshes keep it.</summary>
    public const string SignedInAt = "creditportal:signed-in-at";

    public static long? GetAccountId(this ClaimsPrincipal user)
        => long.TryParse(user.FindFirstValue(AccountId), out var id) ? id : null;

    public static bool IsSupport(this ClaimsPrincipal user) => user.IsInRole(PortalRoles.Support);

    public static bool IsOwner(this ClaimsPrincipal user) => user.IsInRole(PortalRoles.Owner);

    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == PasswordChangeDue);

    public static bool MustSetUpTwoFactor(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == TwoFactorDue);
}
