using System.Globalization;
using System.Text.RegularExpressions;
using CreditPortal.Clock;
using CreditPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Ledger;

/// <summary>
/// Issue #17, the balance at a past instant (docs/domain.md §6): a wallet rebuilt as it was at an instant, from what the
/// ledger keeps for good: the ledger entries (each lot's remaining and each list's assignment are sums of their
/// entries up to the instant; an <c>ExpiryExtended</c> entry after it says the lot's expiry then), the consumptions
/// (the queue, and the messages sent that local month) and the audit trail (plan, allocation mode and cap, which the
/// entries do not carry). So "why was my send queued on Tuesday?" has an answer.
/// </summary>
public sealed partial class WalletHistory(IDbContextFactory<CreditPortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The wallet as <see cref="LedgerQueries.GetWalletAsync"/> answered at <paramref name="at"/>; null for an unknown account.</summary>
    public async Task<WalletView?> GetWalletAtAsync(long accountId, Channel channel, DateTimeOffset at, CancellationToken ct = default)
    {
        if (at > clock.GetUtcNow()) throw new LedgerValidationException("at", "at must not be in the future.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null) return null;
        var wallet = await db.Wallets.AsNoTracking().FirstAsync(w => w.AccountId == accountId && w.Channel == channel, ct);
        var calendar = new AccountCalendar(account.TimeZoneId);

        // Each lot's remaining at the instant: the sum of its entries (the grant, draws, expiry) up to it.
        var remaining = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.WalletId == wallet.Id && e.LotId != null && e.At <= at)
            .GroupBy(e => e.LotId!.Value)
            .Select(g => new { LotId = g.Key, Remaining = g.Sum(e => e.Quantity) })
            .ToDictionaryAsync(x => x.LotId, x => x.Remaining, ct);
        // R3 moves expiries later: the first move after the instant says what the expiry was then ("old → new").
        var laterMoves = (await db.LedgerEntries.AsNoTracking()
                .Where(e => e.WalletId == wallet.Id && e.Kind == LedgerEntryKind.ExpiryExtended && e.At > at)
                .Select(e => new { e.Id, LotId = e.LotId!.Value, e.Detail })
                .ToListAsync(ct))
            .GroupBy(e => e.LotId)
            .ToDictionary(g => g.Key, g => ExpiryBefore(g.OrderBy(e => e.Id).First().Detail));
        var lotIds = remaining.Where(r => r.Value > 0).Select(r => r.Key).ToList();
        var lots = (await db.Lots.AsNoTracking().Where(l => lotIds.Contains(l.Id)).ToListAsync(ct))
            .Select(l => new LotView(l.Id, l.Kind, l.Quantity, remaining[l.Id], laterMoves.TryGetValue(l.Id, out var then) ? then : l.ExpiresAt,
                l.Source, l.CreatedAt))
            .Where(l => l.ExpiresAt is null || l.ExpiresAt > at)
            .OrderBy(l => l.ExpiresAt is null ? 0 : 1).ThenBy(l => l.ExpiresAt).ThenBy(l => l.Id)
            .ToList();

        var assigned = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.WalletId == wallet.Id && e.ListId != null && e.AssignedDelta != 0 && e.At <= at)
            .GroupBy(e => e.ListId!.Value)
            .Select(g => new { ListId = g.Key, Assigned = g.Sum(e => e.AssignedDelta) })
            .ToDictionaryAsync(x => x.ListId, x => x.Assigned, ct);

        // The settings the entries do not carry, from the audit trail: the last change of each up to the instant.
        var allocationAction = $"list.allocation.{channel}";
        var capAction = $"list.cap.{channel}";
        var planAction = $"plan.{channel}";
        var changes = await db.AuditEntries.AsNoTracking()
            .Where(a => a.AccountId == accountId && a.At <= at && (a.Action == allocationAction || a.Action == capAction || a.Action == planAction))
            .OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.After })
            .ToListAsync(ct);
        var modes = new Dictionary<long, AllocationMode>();
        var caps = new Dictionary<long, (bool Enabled, long? PerMonth)>();
        var plan = Plan.Packs;
        foreach (var change in changes)
        {
            if (change.After is null) continue;
            if (change.Action == planAction)
            {
                if (PlanName().Match(change.After) is { Success: true } p && Enum.TryParse<Plan>(p.Groups[1].Value, out var parsed)) plan = parsed;
            }
            else if (ListSetting().Match(change.After) is { Success: true } m)
            {
                var listId = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                var text = m.Groups[2].Value;
                if (change.Action == allocationAction)
                    modes[listId] = text.StartsWith("Assigned", StringComparison.Ordinal) ? AllocationMode.Assigned : AllocationMode.Shared;
                else // R6: turning the cap off keeps the last maximum, as the list's settings do
                    caps[listId] = CapFrom(text) is (true, { } perMonth) ? (true, perMonth) : (false, caps.GetValueOrDefault(listId).PerMonth);
            }
        }

        // Messages sent per list in the local month of the instant, decided by then; the sends queued at the instant.
        var monthFirst = new DateOnly(calendar.LocalDate(at).Year, calendar.LocalDate(at).Month, 1);
        var monthStart = calendar.StartOfDay(monthFirst);
        var sent = await db.Consumptions.AsNoTracking()
            .Where(c => c.WalletId == wallet.Id && c.Status == ConsumptionStatus.Accepted && c.DecidedAt >= monthStart && c.DecidedAt <= at)
            .GroupBy(c => c.ListId)
            .Select(g => new { ListId = g.Key, Messages = g.Sum(c => c.Quantity) })
            .ToDictionaryAsync(x => x.ListId, x => x.Messages, ct);
        var queued = await db.Consumptions.AsNoTracking()
            .CountAsync(c => c.WalletId == wallet.Id && c.InitialStatus == ConsumptionStatus.Queued && c.RequestedAt <= at
                             && (c.DecidedAt == null || c.DecidedAt > at), ct);

        var lists = (await db.Lists.AsNoTracking().Where(l => l.AccountId == accountId && l.CreatedAt <= at).OrderBy(l => l.Name).ToListAsync(ct))
            .Select(l =>
            {
                var mode = modes.GetValueOrDefault(l.Id, AllocationMode.Shared);
                var (capEnabled, perMonth) = caps.GetValueOrDefault(l.Id, (false, null));
                return new ListView(l.Id, l.Name, mode, mode == AllocationMode.Shared ? 0 : assigned.GetValueOrDefault(l.Id), capEnabled, perMonth,
                    sent.GetValueOrDefault(l.Id));
            })
            .ToList();
        var total = lots.Sum(l => l.Remaining);
        var assignedSum = assigned.Values.Sum();
        // Issue #17: what holds held then (their entries' HeldDelta up to the instant).
        var held = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.WalletId == wallet.Id && e.HoldId != null && e.At <= at)
            .SumAsync(e => e.HeldDelta, ct);
        return new WalletView(accountId, channel, plan, total, total - assignedSum, queued, lots, lists, null, null, false, null, false, null, 0, 0,
            Held: held);
    }

    /// <summary>The old expiry of an <c>ExpiryExtended</c> entry's detail, "old → new" in ISO-8601.</summary>
    private static DateTimeOffset? ExpiryBefore(string? detail)
    {
        var old = detail?.Split('→')[0].Trim();
        return DateTimeOffset.TryParse(old, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
    }

    /// <summary>SetCap's description: "cap 250/month" or "no cap".</summary>
    private static (bool Enabled, long? PerMonth) CapFrom(string text)
        => CapText().Match(text) is { Success: true } m ? (true, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : (false, null);

    [GeneratedRegex(@"^#(\d+) (.*)$")]
    private static partial Regex ListSetting();

    [GeneratedRegex(@"^cap (\d+)/month")]
    private static partial Regex CapText();

    [GeneratedRegex(@"^(\w+)")]
    private static partial Regex PlanName();
}
