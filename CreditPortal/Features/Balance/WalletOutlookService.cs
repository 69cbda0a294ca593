using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Features.Balance;

/// <summary>
/// Recent usage and the run-out forecast of a wallet, read from the per-day usage rows the ledger keeps
/// with every decision (<see cref="ListDailyUsage"/>), so it reads at most ~31 rows per list.
/// </summary>
public sealed class WalletOutlookService(IDbContextFactory<CreditPortalDbContext> dbFactory, LedgerQueries queries, TimeProvider clock)
{
    /// <summary>Both wallets of the account (Email, then SMS), each with its outlook.</summary>
    public async Task<IReadOnlyList<(WalletView Wallet, WalletOutlook Outlook)>> GetWalletsAsync(Account account, CancellationToken ct = default)
    {
        var wallets = new List<(WalletView, WalletOutlook)>();
        foreach (var channel in PortalText.Channels)
        {
            var wallet = await queries.GetWalletAsync(account.Id, channel, ct) ?? throw new LedgerNotFoundException($"Account {account.Id}");
            wallets.Add((wallet, await GetAsync(account, wallet, ct)));
        }
        return wallets;
    }

    public async Task<WalletOutlook> GetAsync(Account account, WalletView wallet, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = new AccountCalendar(account.TimeZoneId).LocalDate(now);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var windowStart = today.AddDays(-(CreditForecast.WindowDays - 1));
        var from = monthStart < windowStart ? monthStart : windowStart;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var days = await db.ListDailyUsage.AsNoTracking()
            .Where(u => u.AccountId == account.Id && u.Channel == wallet.Channel && u.LocalDate >= from && u.LocalDate <= today)
            .GroupBy(u => u.LocalDate)
            .Select(g => new { Date = g.Key, Messages = g.Sum(u => u.Messages), Credits = g.Sum(u => u.Credits), Refused = g.Sum(u => u.Rejected) })
            .ToListAsync(ct);

        var month = days.Where(d => d.Date >= monthStart).ToList();
        var window = days.Where(d => d.Date >= windowStart).ToList();
        var usage = new UsageSummary(month.Sum(d => d.Messages), month.Sum(d => d.Credits), month.Sum(d => d.Refused),
            window.Sum(d => d.Credits), window.Sum(d => d.Messages));
        return new WalletOutlook(usage, CreditForecast.Compute(wallet.Plan, wallet.Lots, usage.CreditsLast30Days, now));
    }
}
