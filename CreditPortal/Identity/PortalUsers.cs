using Microsoft.AspNetCore.Identity;

namespace CreditPortal.Identity;

/// <summary>Creates portal logins. There is no public self-registration: owners are created by support,
/// by the API's account creation or by the demo seed.</summary>
public sealed class PortalUsers(UserManager<PortalUser> users)
{
    public Task<IdentityResult> CreateOwnerAsync(long accountId, string email, string password)
        => CreateAsync(email, password, PortalRoles.Owner, accountId);

    public Task<IdentityResult> CreateSupportAsync(string email, string password)
        => CreateAsync(email, password, PortalRoles.Support, accountId: null);

    public async Task<PortalUser?> FindByEmailAsync(string email) => await users.FindByEmailAsync(email);

    /// <summary>Checks a password against the policy without creating anything, so a caller can refuse
    /// bad input before it changes anything else.</summary>
    public async Task<IdentityResult> ValidatePasswordAsync(string email, string password)
    {
        var probe = new PortalUser { UserName = email, Email = email };
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, probe, password);
            if (!result.Succeeded) errors.AddRange(result.Errors);
        }
        if (await users.FindByEmailAsync(email) is not null)
            errors.Add(new IdentityError { Code = "DuplicateEmail", Description = $"A login for '{email}' already exists." });
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    private async Task<IdentityResult> CreateAsync(string email, string password, string role, long? accountId)
    {
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, AccountId = accountId, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return created;
        var inRole = await users.AddToRoleAsync(user, role);
        if (!inRole.Succeeded)
        {
            await users.DeleteAsync(user);
            return inRole;
        }
        return IdentityResult.Success;
    }
}
