using System.Globalization;
using CreditPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Support;

public sealed record AccountMatch(long Id, string Name, string TimeZoneId, IReadOnlyList<string> OwnerEmails);

/// <summary>R11: support finds any account by name, id or owner email.</summary>
public sealed class AccountDirectory(IDbContextFactory<CreditPortalDbContext> dbFactory)
{
    public const int MaxResults = 50;

    public async Task<IReadOnlyList<AccountMatch>> SearchAsync(string? query, CancellationToken ct = default)
    {
        var text = query?.Trim() ?? "";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = new HashSet<long>();
        if (text.Length == 0)
        {
            ids.UnionWith(await db.Accounts.OrderByDescending(a => a.Id).Select(a => a.Id).Take(MaxResults).ToListAsync(ct));
        }
        else
        {
            if (long.TryParse(text.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) ids.Add(id);
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            // Case-insensitive on both providers: SQLite's LIKE is, PostgreSQL's ILIKE is.
            if (db is PostgreSqlDbContext)
            {
                ids.UnionWith(await db.Accounts.Where(a => EF.Functions.ILike(a.Name, pattern, "\\")).Select(a => a.Id).Take(MaxResults).ToListAsync(ct));
                ids.UnionWith(await db.Users.Where(u => u.AccountId != null && EF.Functions.ILike(u.Email!, pattern, "\\"))
                    .Select(u => u.AccountId!.Value).Take(MaxResults).ToListAsync(ct));
            }
            else
            {
                ids.UnionWith(await db.Accounts.Where(a => EF.Functions.Like(a.Name, pattern, "\\")).Select(a => a.Id).Take(MaxResults).ToListAsync(ct));
                ids.UnionWith(await db.Users.Where(u => u.AccountId != null && EF.Functions.Like(u.Email!, pattern, "\\"))
                    .Select(u => u.AccountId!.Value).Take(MaxResults).ToListAsync(ct));
            }
        }
        var accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Name).Take(MaxResults).ToListAsync(ct);
        var found = accounts.Select(a => a.Id).ToList();
        var owners = (await db.Users.AsNoTracking().Where(u => u.AccountId != null && found.Contains(u.AccountId.Value))
                .Select(u => new { AccountId = u.AccountId!.Value, u.Email }).ToListAsync(ct))
            .GroupBy(u => u.AccountId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(u => u.Email ?? "").Order().ToList());
        return accounts.Select(a => new AccountMatch(a.Id, a.Name, a.TimeZoneId, owners.GetValueOrDefault(a.Id) ?? [])).ToList();
    }

    public async Task<IReadOnlyList<string>> OwnerEmailsAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.AccountId == accountId).Select(u => u.Email ?? "").OrderBy(e => e).ToListAsync(ct);
    }
}
