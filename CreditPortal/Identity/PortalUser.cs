using Microsoft.AspNetCore.Identity;

namespace CreditPortal.Identity;

/// <summary>A portal login. An <see cref="PortalRoles.Owner"/> belongs to exactly one account;
/// support staff belong to none.</summary>
public sealed class PortalUser : IdentityUser
{
    public long? AccountId { get; set; }
}
