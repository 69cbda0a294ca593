using System.Globalization;
using CreditPortal.Demo;
using CreditPortal.E2E.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CreditPortal.E2E.Portal;

/// <summary>The demo seed's account and the numbers the portal's pages show for it.</summary>
public static class DemoAccount
{
    public static async Task<long> IdAsync(PortalApp app)
    {
        await using var db = app.Database.CreateContext();
        return (await db.Accounts.SingleAsync(a => a.Name == DemoOptions.AccountName)).Id;
    }

    /// <summary>"8,710" → 8710 (the portal formats credits with en-GB group separators).</summary>
    public static long Credits(string text) => long.Parse(text.Trim(), NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>8710 → "8,710", as the portal shows credits.</summary>
    public static string Format(long credits) => credits.ToString("N0", CultureInfo.GetCultureInfo("en-GB"));

    public static ILocator Figure(this IPage page, string scope, string figure)
        => page.Locator($"[data-testid={scope}] [data-testid={figure}] .portal-figure-value");

    public static ILocator ListRow(this IPage page, string name)
        => page.GetByTestId("list-row").Filter(new() { Has = page.GetByTestId("list-name").GetByText(name, new() { Exact = true }) });
}
