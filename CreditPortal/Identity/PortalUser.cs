using Microsoft.AspNetCore.Identity;

namespace CreditPortal.Identity;

/// <summary>A portal login. An <see cref="PortalRoles.Owner"/> belongs to exactly one account;
/// support staff belong to none.</summary>
public sealed class PortalUser : IdentityUser
{
    public long? AccountId { get; set; }

    /// <summary>Set when someone else chose the password (support, <c>add-support-user</c>): the login must pick its own
    /// before it may use the portal (issue #12), so nobody keeps knowing another person's password.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>How support staff appear in audit trails that owners read: a name, never the email (an owner who knew
    /// support's emails could lock their logins out on purpose).</summary>
    public string? DisplayName { get; set; }

    /// <summary>Why support disabled this login (null: not disabled). A disabled login is locked out without end.</summary>
    public string? DisabledReason { get; set; }
}
