using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Rules;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Support;

/// <summary>Why an account is on the support dashboard.</summary>
public enum AttentionReason
{
    /// <summary>R10: a wallet at or below 15% of its last purchase (the first low-balance alert's threshold).</summary>
    RunningLow,

    /// <summary>R9: sends held in the queue, waiting for credits or a limit.</summary>
    SendsQueued,

    /// <summary>R10: the wallet's latest auto-renew payment was declined.</summary>
    AutoRenewDeclined,

    /// <summary>The ledger check found a stored balance its entries do not explain.</summary>
    LedgerDifference,
}

/// <summary>One line of the support dashboard: an account, what needs a look and the figures behind it.</summary>
public sealed record AttentionItem(long AccountId, string AccountName, AttentionReason Reason, Channel? Channel, string Detail);

/// <summary>A change made by support (R11), newest first on the dashboard.</summary>
public sealed record SupportAction(long AccountId, string AccountName, DateTimeOffset At, string Actor, string Action, string? After, string? Reason);

/// <summary>
/// What the support dashboard lists: the accounts that need attention and the latest support actions. Reads only;
/// each list is one query over an index the ledger keeps anyway, except the ledger check, which reads everything and
/// so runs only when support asks for it (<see cref="LedgerDifferencesAsync"/>).
/// </summary>
public sealed class SupportAttention(IDbContextFactory<CreditPortalDbContext> dbFactory, LedgerCheck check)
{
    public const int MaxItems = 50;
    public const int RecentActions = 20;

    /// <summary>The low-balance threshold a wallet must be at or below to be "running low" (R10's first alert).</summary>
    public const int RunningLowPercent = 15;

    public async Task<IReadOnlyList<AttentionItem>> NeedingAttentionAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = new List<(long AccountId, AttentionReason Reason, Channel? Channel, string Detail)>();

        // Running low: the wallet's unexpired credits against its last purchase (R10). Pro never runs out.
        var remaining = await db.Lots.AsNoTracking().Where(l => l.ExpiredAt == null)
            .GroupBy(l => l.WalletId).Select(g => new { WalletId = g.Key, Remaining = g.Sum(l => l.Remaining) })
            .ToDictionaryAsync(r => r.WalletId, r => r.Remaining, ct);
        var bought = await db.Wallets.AsNoTracking().Where(w => w.LastPurchaseCredits > 0 && w.Plan != Plan.Pro)
            .Select(w => new { w.Id, w.AccountId, w.Channel, w.LastPurchaseCredits }).ToListAsync(ct);
        foreach (var wallet in bought)
        {
            var left = remaining.GetValueOrDefault(wallet.Id);
            if (BalanceThresholds.AtOrBelow(left, wallet.LastPurchaseCredits, RunningLowPercent))
                items.Add((wallet.AccountId, AttentionReason.RunningLow, wallet.Channel,
                    $"{Credits(left)} credits left of a {Credits(wallet.LastPurchaseCredits)} purchase"));
        }

        // Sends queued (R9).
        var queued = await db.Consumptions.AsNoTracking().Where(c => c.Status == ConsumptionStatus.Queued)
            .GroupBy(c => new { c.AccountId, c.Channel }).Select(g => new { g.Key.AccountId, g.Key.Channel, Sends = g.Count(), Messages = g.Sum(c => c.Quantity) })
            .ToListAsync(ct);
        items.AddRange(queued.Select(q => (q.AccountId, AttentionReason.SendsQueued, (Channel?)q.Channel,
            $"{Credits(q.Sends)} {(q.Sends == 1 ? "send" : "sends")} of {Credits(q.Messages)} messages waiting")));

        // Auto-renew declined: the wallet's latest attempt (a later paid one clears it).
        var attempts = await db.AutoRenewAttempts.AsNoTracking()
            .Where(a => a.Status == AutoRenewAttemptStatus.Declined || a.Status == AutoRenewAttemptStatus.Paid)
            .Select(a => new { a.Id, a.AccountId, a.WalletId, a.Channel, a.Status, a.PackId, a.Attempt }).ToListAsync(ct);
        items.AddRange(attempts.GroupBy(a => a.WalletId).Select(g => g.MaxBy(a => a.Id)!).Where(a => a.Status == AutoRenewAttemptStatus.Declined)
            .Select(a => (a.AccountId, AttentionReason.AutoRenewDeclined, (Channel?)a.Channel, $"pack {a.PackId}, attempt {a.Attempt} declined")));

        return await NamedAsync(db, items, ct);
    }

    /// <summary>
    /// Runs the ledger check and names the account behind each difference. It reads every lot, wallet, list and
    /// consumption, so the dashboard runs it when support asks, not on every visit.
    /// </summary>
    public async Task<IReadOnlyList<AttentionItem>> LedgerDifferencesAsync(CancellationToken ct = default)
    {
        var differences = await check.RunAsync(ct);
        if (differences.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = new List<(long AccountId, AttentionReason Reason, Channel? Channel, string Detail)>();
        foreach (var difference in differences.Take(MaxItems))
        {
            var accountId = difference.Scope switch
            {
                "lot" => await db.Lots.Where(l => l.Id == difference.Id).Select(l => (long?)l.AccountId).SingleOrDefaultAsync(ct),
                "wallet" => await db.Wallets.Where(w => w.Id == difference.Id).Select(w => (long?)w.AccountId).SingleOrDefaultAsync(ct),
                "list" => await db.Lists.Where(l => l.Id == difference.Id).Select(l => (long?)l.AccountId).SingleOrDefaultAsync(ct),
                "consumption" => await db.Consumptions.Where(c => c.Id == difference.Id).Select(c => (long?)c.AccountId).SingleOrDefaultAsync(ct),
                _ => difference.Id,
            };
            if (accountId is { } id) items.Add((id, AttentionReason.LedgerDifference, null, difference.ToString()));
        }
        return await NamedAsync(db, items, ct);
    }

    /// <summary>The latest changes made by support staff or a support API key, on any account.</summary>
    public async Task<IReadOnlyList<SupportAction>> RecentSupportActionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var actions = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Actor.StartsWith("support:") || a.Actor.StartsWith("support-key:"))
            .OrderByDescending(a => a.Id).Take(RecentActions)
            .Select(a => new { a.AccountId, a.At, a.Actor, a.Action, a.After, a.Reason }).ToListAsync(ct);
        var ids = actions.Select(a => a.AccountId).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return actions.Select(a => new SupportAction(a.AccountId, names.GetValueOrDefault(a.AccountId, $"#{a.AccountId}"), a.At, a.Actor, a.Action, a.After, a.Reason))
            .ToList();
    }

    private static async Task<IReadOnlyList<AttentionItem>> NamedAsync(CreditPortalDbContext db,
        List<(long AccountId, AttentionReason Reason, Channel? Channel, string Detail)> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.AccountId).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return items
            .Select(i => new AttentionItem(i.AccountId, names.GetValueOrDefault(i.AccountId, $"#{i.AccountId}"), i.Reason, i.Channel, i.Detail))
            .OrderBy(i => i.Reason).ThenBy(i => i.AccountName, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Channel)
            .Take(MaxItems)
            .ToList();
    }

    private static string Credits(long value) => Formatting.PortalFormat.Credits(value);
}
