using System.Globalization;
using CreditPortal.Clock;
using CreditPortal.Demo;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CreditPortal.E2E.Portal;

/// <summary>
/// The demo app at a fixed instant: the seed records its thirteen months of history up to <see cref="DemoAccount.Now"/>
/// and the clock stands still there, so "this month" and the balances are the same on every run.
/// </summary>
public class DemoAppFixture : PortalAppFixture
{
    protected override PortalAppOptions Options => new() { ManualClockStart = DemoAccount.Now };
}

/// <summary>The demo seed's account and the numbers the portal's pages show for it, read from the app's database.</summary>
public static class DemoAccount
{
    /// <summary>A Friday morning in Rome, 20 days into November 2026.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    public static async Task<long> IdAsync(PortalApp app)
    {
        await using var db = app.Database.CreateContext();
        return (await db.Accounts.SingleAsync(a => a.Name == DemoOptions.AccountName)).Id;
    }

    /// <summary>A wallet's credits and what is not assigned to a list, from the lots and assignments in the database.</summary>
    public static async Task<(long Total, long Unassigned)> WalletAsync(PortalApp app, Channel channel)
    {
        await using var db = app.Database.CreateContext();
        var id = await IdAsync(app);
        var total = await db.Lots.Where(l => l.AccountId == id && l.Channel == channel && l.ExpiredAt == null).SumAsync(l => l.Remaining);
        var assigned = await db.ListChannels.Where(c => c.AccountId == id && c.Channel == channel).SumAsync(c => c.Assigned);
        return (total, total - assigned);
    }

    /// <summary>A list's assignment on a channel.</summary>
    public static async Task<long> AssignedAsync(PortalApp app, string list, Channel channel)
    {
        await using var db = app.Database.CreateContext();
        var listId = await ListIdAsync(db, app, list);
        return await db.ListChannels.Where(c => c.ListId == listId && c.Channel == channel).Select(c => c.Assigned).SingleAsync();
    }

    /// <summary>A list's cap on a channel, or null without one.</summary>
    public static async Task<long?> CapAsync(PortalApp app, string list, Channel channel)
    {
        await using var db = app.Database.CreateContext();
        var listId = await ListIdAsync(db, app, list);
        return await db.ListChannels.Where(c => c.ListId == listId && c.Channel == channel && c.CapEnabled).Select(c => c.CapPerMonth).SingleOrDefaultAsync();
    }

    /// <summary>Messages a list sent on a channel in the account's local month of <see cref="Now"/> (what its cap counts).</summary>
    public static async Task<long> SentThisMonthAsync(PortalApp app, string list, Channel channel)
    {
        await using var db = app.Database.CreateContext();
        var listId = await ListIdAsync(db, app, list);
        var (first, last) = await MonthToDateAsync(db, app);
        return await db.ListDailyUsage.Where(u => u.ListId == listId && u.Channel == channel && u.LocalDate >= first && u.LocalDate <= last)
            .SumAsync(u => u.Messages);
    }

    /// <summary>Credits spent on both channels from the first of <see cref="Now"/>'s local month to its day (the Reports page's first view).</summary>
    public static async Task<long> CreditsThisMonthAsync(PortalApp app, Channel? channel = null)
    {
        await using var db = app.Database.CreateContext();
        var id = await IdAsync(app);
        var (first, last) = await MonthToDateAsync(db, app);
        return await db.ListDailyUsage.Where(u => u.AccountId == id && u.LocalDate >= first && u.LocalDate <= last && (channel == null || u.Channel == channel))
            .SumAsync(u => u.Credits);
    }

    /// <summary>The references of a list's sends decided this month so far, in the order they were decided.</summary>
    public static async Task<IReadOnlyList<string?>> ReferencesThisMonthAsync(PortalApp app, string list)
    {
        await using var db = app.Database.CreateContext();
        var listId = await ListIdAsync(db, app, list);
        var account = await db.Accounts.SingleAsync(a => a.Name == DemoOptions.AccountName);
        var calendar = new AccountCalendar(account.TimeZoneId);
        var today = calendar.LocalDate(Now);
        var from = calendar.StartOfDay(new DateOnly(today.Year, today.Month, 1));
        return (await db.Consumptions.Where(c => c.ListId == listId && c.DecidedAt != null).ToListAsync())
            .Where(c => c.DecidedAt >= from && c.DecidedAt <= Now).OrderBy(c => c.DecidedAt).Select(c => c.Reference).ToList();
    }

    /// <summary>"8,710" → 8710 (the portal formats credits with en-GB group separators).</summary>
    public static long Credits(string text) => long.Parse(text.Trim(), NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>8710 → "8,710", as the portal shows credits.</summary>
    public static string Format(long credits) => credits.ToString("N0", CultureInfo.GetCultureInfo("en-GB"));

    public static ILocator Figure(this IPage page, string scope, string figure)
        => page.Locator($"[data-testid={scope}] [data-testid={figure}] .portal-figure-value");

    public static ILocator ListRow(this IPage page, string name)
        => page.Locator("tr.list-row").Filter(new() { Has = page.GetByTestId("list-name").GetByText(name, new() { Exact = true }) });

    /// <summary>Opens the ⋮ menu of the list named <paramref name="name"/> and chooses the item <paramref name="action"/>
    /// (its data-testid: <c>edit-allocation-Email</c>, <c>edit-cap-Sms</c>, <c>rename</c>).</summary>
    public static async Task ListActionAsync(this IPage page, string name, string action)
    {
        await page.ListRow(name).GetByRole(AriaRole.Button, new() { Name = $"Actions for {name}" }).ClickAsync();
        await page.Locator($".mud-popover-open [data-testid={action}]").ClickAsync();
    }

    private static async Task<long> ListIdAsync(Data.CreditPortalDbContext db, PortalApp app, string name)
    {
        var id = await IdAsync(app);
        return await db.Lists.Where(l => l.AccountId == id && l.Name == name).Select(l => l.Id).SingleAsync();
    }

    private static async Task<(DateOnly First, DateOnly Last)> MonthToDateAsync(Data.CreditPortalDbContext db, PortalApp app)
    {
        var account = await db.Accounts.SingleAsync(a => a.Name == DemoOptions.AccountName);
        var today = new AccountCalendar(account.TimeZoneId).LocalDate(Now);
        return (new DateOnly(today.Year, today.Month, 1), today);
    }
}
