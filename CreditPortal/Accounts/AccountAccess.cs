using System.Security.Claims;
using CreditPortal.Data;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Accounts;

/// <summary>
/// The one rule for who sees which account in the portal: an owner sees only their own account, support
/// sees any. Anything else looks exactly like a missing account, so ids cannot be probed.
/// </summary>
public sealed class AccountAccess(IDbContextFactory<CreditPortalDbContext> dbFactory)
{
    public static bool MaySee(ClaimsPrincipal user, long accountId)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        if (user.IsSupport()) return true;
        return user.IsOwner() && user.GetAccountId() == accountId;
    }

    /// <summary>The account if <paramref name="user"/> may see it, else null (show "not found").</summary>
    public async Task<Account?> FindVisibleAsync(ClaimsPrincipal user, long accountId, CancellationToken cancellationToken = default)
    {
        if (!MaySee(user, accountId)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
    }

    /// <summary>The signed-in owner's own account, or null for support staff.</summary>
    public async Task<Account?> FindOwnAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
        => user.GetAccountId() is { } id ? await FindVisibleAsync(user, id, cancellationToken) : null;
}
