using CreditPortal.Data;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Security;

/// <summary>
/// Writes and reads the security log (<see cref="SecurityEvent"/>). A line is written in its own short transaction:
/// it records what happened even when the request that caused it fails afterwards.
/// </summary>
public sealed class SecurityLog(IDbContextFactory<CreditPortalDbContext> dbFactory, TimeProvider clock, ILogger<SecurityLog> logger)
{
    /// <summary>At most this many lines per page.</summary>
    public const int MaxPage = 200;

    public async Task RecordAsync(string kind, string? email, long? accountId, string? ip, string? actor = null, string? detail = null,
        CancellationToken ct = default)
    {
        var line = new SecurityEvent
        {
            At = clock.GetUtcNow(), Kind = kind, Email = Cut(email, 256), AccountId = accountId, Ip = Cut(ip, 64), Actor = Cut(actor, 300),
            Detail = Cut(detail, 500),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.SecurityEvents.Add(line);
        await db.SaveChangesAsync(ct);
        // Also in the app log, where an operator's alerting looks.
        logger.LogWarning("Security: {Kind} {Email} account {AccountId} from {Ip} by {Actor}: {Detail}", kind, email, accountId, ip, actor, detail);
    }

    /// <summary>Newest first. <paramref name="accountId"/>: one account's lines (what its owner may read); null: all (support).</summary>
    public async Task<IReadOnlyList<SecurityEvent>> ReadAsync(long? accountId, int limit = 100, long? before = null, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxPage) throw new LedgerValidationException("limit", $"limit must be between 1 and {MaxPage}.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lines = db.SecurityEvents.AsNoTracking();
        if (accountId is { } id) lines = lines.Where(e => e.AccountId == id);
        if (before is { } cursor) lines = lines.Where(e => e.Id < cursor);
        return await lines.OrderByDescending(e => e.Id).Take(limit).ToListAsync(ct);
    }

    private static string? Cut(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
