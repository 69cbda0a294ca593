using CreditPortal.Clock;
using CreditPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Ledger;

/// <summary>
/// The read side: what pages and the API show, straight from committed rows (WAL lets these reads run
/// beside the writer). Nothing here changes anything.
/// </summary>
public sealed class LedgerQueries(IDbContextFactory<CreditPortalDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public async Task<Account?> GetAccountAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
    }

    public async Task<WalletView?> GetWalletAsync(long accountId, Channel channel, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null) return null;
        var wallet = await db.Wallets.AsNoTracking().FirstAsync(w => w.AccountId == accountId && w.Channel == channel, ct);
        var now = clock.GetUtcNow();
        var calendar = new AccountCalendar(account.TimeZoneId);

        var lots = (await db.Lots.AsNoTracking()
                .Where(l => l.WalletId == wallet.Id && l.ExpiredAt == null && l.Remaining > 0)
                .ToListAsync(ct))
            .Where(l => l.ExpiresAt is null || l.ExpiresAt > now)
            .OrderBy(l => l.ExpiresAt is null ? 0 : 1).ThenBy(l => l.ExpiresAt).ThenBy(l => l.Id)
            .Select(l => new LotView(l.Id, l.Kind, l.Quantity, l.Remaining, l.ExpiresAt, l.Source, l.CreatedAt))
            .ToList();

        var today = calendar.LocalDate(now);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var usage = await db.ListDailyUsage.AsNoTracking()
            .Where(u => u.AccountId == accountId && u.Channel == channel && u.LocalDate >= monthStart)
            .Select(u => new { u.ListId, u.LocalDate, u.Messages })
            .ToListAsync(ct);
        var sentThisMonth = usage.GroupBy(u => u.ListId).ToDictionary(g => g.Key, g => g.Sum(u => u.Messages));

        var lists = await (from l in db.Lists.AsNoTracking()
                           join c in db.ListChannels.AsNoTracking() on l.Id equals c.ListId
                           where l.AccountId == accountId && c.Channel == channel
                           orderby l.Name
                           select new { l.Id, l.Name, c.Mode, c.Assigned, c.CapEnabled, c.CapPerMonth })
            .ToListAsync(ct);
        var listViews = lists
            .Select(l => new ListView(l.Id, l.Name, l.Mode, l.Mode == AllocationMode.Shared ? 0 : l.Assigned, l.CapEnabled, l.CapPerMonth,
                sentThisMonth.GetValueOrDefault(l.Id)))
            .ToList();

        var queued = await db.Consumptions.CountAsync(c => c.WalletId == wallet.Id && c.Status == ConsumptionStatus.Queued, ct);
        var holds = (await db.Holds.AsNoTracking()
                .Where(h => h.AccountId == accountId && h.Status == HoldStatus.Active && h.WalletId == wallet.Id)
                .ToListAsync(ct))
            .OrderBy(h => h.ExpiresAt).ThenBy(h => h.Id)
            .Select(HoldView.Of)
            .ToList();
        var total = lots.Sum(l => l.Remaining);
        var assigned = lists.Sum(l => l.Assigned);
        return new WalletView(accountId, channel, wallet.Plan, total, total - assigned, queued, lots, listViews, wallet.SubscriberCount,
            wallet.MonthlyCredits, wallet.MonthlyLocked, wallet.CycleEndsAt, wallet.AutoRenew, wallet.LastPurchasePackId,
            wallet.LastPurchaseCredits, usage.Where(u => u.LocalDate == today).Sum(u => u.Messages),
            wallet.NextSubscriberCount, wallet.NextMonthlyCredits, wallet.LastGrantCredits, wallet.AutoRenewPackId,
            holds.Sum(h => h.Held), holds);
    }

    /// <summary>Issue #17: the account's active holds, soonest end first (through IX_Holds_AccountId_Status; ended holds are
    /// read one at a time, <see cref="GetHoldAsync"/>).</summary>
    public async Task<IReadOnlyList<HoldView>> GetActiveHoldsAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Holds.AsNoTracking().Where(h => h.AccountId == accountId && h.Status == HoldStatus.Active).ToListAsync(ct);
        return rows.OrderBy(h => h.ExpiresAt).ThenBy(h => h.Id).Select(HoldView.Of).ToList();
    }

    /// <summary>Issue #17: one hold of the account, or null (also for another account's hold).</summary>
    public async Task<HoldView?> GetHoldAsync(long accountId, long holdId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Holds.AsNoTracking().FirstOrDefaultAsync(h => h.AccountId == accountId && h.Id == holdId, ct);
        return row is null ? null : HoldView.Of(row);
    }

    public async Task<IReadOnlyList<Ledger.CreditList>> GetListsAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Lists.AsNoTracking().Where(l => l.AccountId == accountId).OrderBy(l => l.Name).ToListAsync(ct);
    }

    /// <summary>Consumptions in request order, <paramref name="pageSize"/> at a time after <paramref name="afterId"/>.</summary>
    public async Task<ConsumptionPage> GetConsumptionsAsync(long accountId, ConsumptionFilter filter, long? afterId, int pageSize = DefaultPageSize,
        CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null) return new ConsumptionPage([], null);
        var calendar = new AccountCalendar(account.TimeZoneId);
        var query = db.Consumptions.AsNoTracking().Where(c => c.AccountId == accountId);
        if (filter.From is { } from)
        {
            var start = calendar.StartOfDay(from);
            query = query.Where(c => c.RequestedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = calendar.StartOfDay(to.AddDays(1));
            query = query.Where(c => c.RequestedAt < end);
        }
        if (filter.ListId is { } listId) query = query.Where(c => c.ListId == listId);
        if (filter.Status is { } status) query = query.Where(c => c.Status == status);
        if (filter.Channel is { } channel) query = query.Where(c => c.Channel == channel);
        if (afterId is { } after) query = query.Where(c => c.Id > after);
        var rows = await query.OrderBy(c => c.Id).Take(pageSize + 1).ToListAsync(ct);
        var items = rows.Take(pageSize)
            .Select(c => new ConsumptionView(c.Id, c.DecidedAt ?? c.RequestedAt, c.RequestedAt, c.DecidedAt, c.Channel, c.ListId, c.Quantity, c.Credits,
                c.Status, c.Reason, c.Reference, c.Country))
            .ToList();
        return new ConsumptionPage(items, rows.Count > pageSize ? items[^1].Id : null);
    }

    /// <summary>
    /// R10: the account's alerts, newest first, one page at a time (see <see cref="PageRequest"/>). Empty for an
    /// unknown account.
    /// </summary>
    public async Task<Page<AlertView>> GetAlertsAsync(long accountId, PageRequest page = default, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Alerts.AsNoTracking().Where(a => a.AccountId == accountId);
        if (page.After is { } after) query = query.Where(a => a.At <= after.At && (a.At < after.At || a.Id < after.Id));
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(page.Skip).Take(page.Take + 1)
            .Select(a => new AlertView(a.Id, a.At, a.Channel, a.Kind, a.Detail, a.DeliveredAt))
            .ToListAsync(ct);
        return ToPage(rows, page, a => new PageCursor(a.At, a.Id));
    }

    /// <summary>How many alerts the account has (for a pager that shows a total).</summary>
    public async Task<int> CountAlertsAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Alerts.CountAsync(a => a.AccountId == accountId, ct);
    }

    /// <summary>
    /// Every balance movement of the account (consumptions included), oldest first, one page at a time; the
    /// filter's dates are local dates of the account's zone, both inclusive. Empty for an unknown account.
    /// </summary>
    public async Task<Page<LedgerEntryView>> GetLedgerAsync(long accountId, LedgerFilter filter, PageRequest page = default,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await LedgerEntriesAsync(db, accountId, filter, ct) is not { } query) return new Page<LedgerEntryView>([], null);
        if (page.After is { } after) query = query.Where(e => e.At >= after.At && (e.At > after.At || e.Id > after.Id));
        var rows = await query.OrderBy(e => e.At).ThenBy(e => e.Id)
            .Skip(page.Skip).Take(page.Take + 1)
            .Select(e => new LedgerEntryView(e.Id, e.At, e.Channel, e.Kind, e.Quantity, e.AssignedDelta, e.LotId, e.ListId, e.ConsumptionId,
                e.OrderId, e.Actor, e.Reason, e.Detail, e.HeldDelta, e.HoldId))
            .ToListAsync(ct);
        return ToPage(rows, page, e => new PageCursor(e.At, e.Id));
    }

    /// <summary>How many ledger entries <paramref name="filter"/> selects.</summary>
    public async Task<int> CountLedgerAsync(long accountId, LedgerFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LedgerEntriesAsync(db, accountId, filter, ct) is { } query ? await query.CountAsync(ct) : 0;
    }

    /// <summary>R11: the account's audit trail, newest first, one page at a time. Empty for an unknown account.</summary>
    public async Task<Page<AuditView>> GetAuditAsync(long accountId, PageRequest page = default, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking().Where(a => a.AccountId == accountId);
        if (page.After is { } after) query = query.Where(a => a.At <= after.At && (a.At < after.At || a.Id < after.Id));
        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(page.Skip).Take(page.Take + 1)
            .Select(a => new AuditView(a.Id, a.At, a.Actor, a.Action, a.Before, a.After, a.Reason))
            .ToListAsync(ct);
        return ToPage(rows, page, a => new PageCursor(a.At, a.Id));
    }

    /// <summary>How many entries the account's audit trail has.</summary>
    public async Task<int> CountAuditAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.CountAsync(a => a.AccountId == accountId, ct);
    }

    private static async Task<IQueryable<LedgerEntry>?> LedgerEntriesAsync(CreditPortalDbContext db, long accountId, LedgerFilter filter,
        CancellationToken ct)
    {
        var zone = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TimeZoneId).FirstOrDefaultAsync(ct);
        if (zone is null) return null;
        var calendar = new AccountCalendar(zone);
        // Filters on At keep the (AccountId, At) index usable for both the range and the keyset.
        var query = db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == accountId);
        if (filter.Channel is { } c) query = query.Where(e => e.Channel == c);
        if (filter.From is { } f) { var start = calendar.StartOfDay(f); query = query.Where(e => e.At >= start); }
        if (filter.To is { } t) { var end = calendar.StartOfDay(t.AddDays(1)); query = query.Where(e => e.At < end); }
        return query;
    }

    /// <summary>The query read one row more than the page holds: its presence says a next page exists.</summary>
    private static Page<T> ToPage<T>(List<T> rows, PageRequest page, Func<T, PageCursor> cursor)
    {
        if (rows.Count <= page.Take) return new Page<T>(rows, null);
        rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, cursor(rows[^1]));
    }
}
