using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace CreditPortal.Components.Layout;

/// <summary>
/// The portal's sections in navigation order. A section is linked only once a page with its route
/// exists in the app, so navigation never points at something unbuilt.
/// </summary>
public static class PortalSections
{
    public static readonly IReadOnlyList<PortalSection> Planned =
    [
        new("Balance", "account_balance_wallet", "/accounts/{AccountId:long}/balance"),
        new("Get Sendings", "shopping_cart", "/accounts/{AccountId:long}/get-sendings"),
        new("Lists", "list_alt", "/accounts/{AccountId:long}/lists"),
        new("Plans", "workspace_premium", "/accounts/{AccountId:long}/plans"),
        new("Reports", "bar_chart", "/accounts/{AccountId:long}/reports"),
        new("Alerts", "notifications", "/accounts/{AccountId:long}/alerts"),
        new("Settings", "settings", "/accounts/{AccountId:long}/settings"),
        new("API keys", "key", "/accounts/{AccountId:long}/api-keys"),
        new("Audit trail", "history", "/accounts/{AccountId:long}/audit"),
        new("Support", "support_agent", "/support", SupportOnly: true),
    ];

    private static readonly HashSet<string> RoutesInApp = typeof(PortalSections).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The sections whose page exists.</summary>
    public static IEnumerable<PortalSection> Built => Planned.Where(s => RoutesInApp.Contains(s.Route));

    public static IEnumerable<PortalSection> For(bool isSupport, long? accountId) =>
        Built.Where(s => (!s.SupportOnly || isSupport) && (!s.IsAccountScoped || accountId is not null));
}
