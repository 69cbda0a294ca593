using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Support;

/// <summary>An account's login as support sees it: who, and whether it can log in.</summary>
public sealed record AccountLogin(string Id, string Email, bool Disabled, string? DisabledReason, bool LockedOut, int FailedAttempts,
    bool MustChangePassword);

/// <summary>
/// Support disables and unlocks an account's logins, or support staff's own (account null), always with a reason (issue #12). Disabling locks the login
/// without end and rotates its security stamp, so its open sessions end within the revalidation interval; unlocking
/// lifts a disable or a lockout after failed logins. Both are in the account's audit trail (the owner reads them)
/// and in the security log (a support login has no account, so only the security log). Each call works in a scope of
/// its own: a circuit lives long, Identity's stores must not.
/// </summary>
public sealed class AccountLogins(IServiceScopeFactory scopes, CreditLedger ledger, SecurityLog securityLog)
{
    /// <summary>The account's logins; with <paramref name="accountId"/> null, support staff's.</summary>
    public async Task<IReadOnlyList<AccountLogin>> ListAsync(long? accountId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var logins = accountId is { } id
            ? await users.Users.Where(u => u.AccountId == id).OrderBy(u => u.Email).ToListAsync()
            : (await users.GetUsersInRoleAsync(PortalRoles.Support)).OrderBy(u => u.Email).ToList();
        var views = new List<AccountLogin>();
        foreach (var user in logins)
            views.Add(new AccountLogin(user.Id, user.Email ?? "", user.DisabledReason is not null, user.DisabledReason,
                await users.IsLockedOutAsync(user), user.AccessFailedCount, user.MustChangePassword));
        return views;
    }

    public async Task DisableAsync(long? accountId, string loginId, string? reason, Actor actor, string? ip)
    {
        var why = Validate.Text(reason, "reason", 500);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await FindAsync(users, accountId, loginId);
        if (user.DisabledReason is not null) throw new LedgerValidationException("login", $"{user.Email} is disabled already.");
        user.DisabledReason = why;
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user)); // its open sessions end
        if (accountId is { } id) await ledger.RecordAuditAsync(id, actor, "login.disabled", user.Email, "disabled", why);
        await securityLog.RecordAsync(SecurityEventKinds.LoginDisabled, user.Email, accountId, ip, actor.ToString(), why);
    }

    public async Task UnlockAsync(long? accountId, string loginId, string? reason, Actor actor, string? ip)
    {
        var why = Validate.Text(reason, "reason", 500);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await FindAsync(users, accountId, loginId);
        var was = user.DisabledReason is not null ? "disabled" : await users.IsLockedOutAsync(user) ? "locked out" : null;
        if (was is null) throw new LedgerValidationException("login", $"{user.Email} is neither disabled nor locked.");
        user.DisabledReason = null;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        Check(await users.UpdateAsync(user));
        if (accountId is { } id) await ledger.RecordAuditAsync(id, actor, "login.unlocked", $"{user.Email} {was}", "can log in", why);
        await securityLog.RecordAsync(SecurityEventKinds.LoginUnlocked, user.Email, accountId, ip, actor.ToString(), why);
    }

    private static async Task<PortalUser> FindAsync(UserManager<PortalUser> users, long? accountId, string loginId)
        => await users.FindByIdAsync(loginId) is { } user && user.AccountId == accountId
            && (accountId is not null || await users.IsInRoleAsync(user, PortalRoles.Support))
            ? user
            : throw new LedgerNotFoundException(accountId is null ? $"Support login {loginId}" : $"Login {loginId} of account {accountId}");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
