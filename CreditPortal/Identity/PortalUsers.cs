using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace CreditPortal.Identity;

/// <summary>Creates portal logins. There is no public self-registration: owners are created by support,
/// by the API's account creation or by the demo seed; support logins by <c>add-support-user</c> or the demo seed.</summary>
public sealed class PortalUsers(UserManager<PortalUser> users)
{
    /// <param name="mustChangePassword">True when someone other than the owner chose the password (support): the
    /// owner must pick their own at first login.</param>
    public Task<IdentityResult> CreateOwnerAsync(long accountId, string email, string password, bool mustChangePassword = false)
        => CreateAsync(new PortalUser { AccountId = accountId, MustChangePassword = mustChangePassword }, email, password, PortalRoles.Owner);

    public Task<IdentityResult> CreateSupportAsync(string email, string password, string? displayName = null, bool mustChangePassword = false)
        => CreateAsync(new PortalUser { DisplayName = displayName, MustChangePassword = mustChangePassword }, email, password, PortalRoles.Support);

    public async Task<PortalUser?> FindByEmailAsync(string email) => await users.FindByEmailAsync(email);

    /// <summary>Checks a password against the policy without creating anything, so a caller can refuse
    /// bad input before it changes anything else.</summary>
    public async Task<IdentityResult> ValidatePasswordAsync(string email, string password)
    {
        var errors = await PolicyErrorsAsync(email, password);
        if (await users.FindByEmailAsync(email) is not null)
            errors.Add(new IdentityError { Code = "DuplicateEmail", Description = $"A login for '{email}' already exists." });
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    /// <summary>
    /// A one-time password that meets the policy (for a login someone else sets up): 20 characters from a
    /// cryptographic generator, so it cannot be guessed in the time before its owner replaces it.
    /// </summary>
    public async Task<string> NewOneTimePasswordAsync(string email)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.#%+";
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(alphabet, 20);
            if ((await PolicyErrorsAsync(email, candidate)).Count == 0) return candidate;
        }
    }

    private async Task<List<IdentityError>> PolicyErrorsAsync(string email, string password)
    {
        var probe = new PortalUser { UserName = email, Email = email };
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, probe, password);
            if (!result.Succeeded) errors.AddRange(result.Errors);
        }
        return errors;
    }

    private async Task<IdentityResult> CreateAsync(PortalUser user, string email, string password, string role)
    {
        user.UserName = email;
        user.Email = email;
        user.EmailConfirmed = true;
        user.LockoutEnabled = true;
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
