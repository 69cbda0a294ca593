using System.Reflection;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CreditPortal.Components.Layout;

/// <summary>
/// The portal's sections in navigation order. A section is linked only once a page with its route
/// exists in the app, so navigation never points at something unbuilt.
/// </summary>
public static class PortalSections
{
    public static readonly IReadOnlyList<PortalSection> Planned =
    [
        new("Balance", Icons.Material.Filled.AccountBalanceWallet, "/accounts/{AccountId:long}/balance"),
        new("Get Sendings", Icons.Material.Filled.ShoppingCart, "/accounts/{AccountId:long}/get-sendings"),
        new("Lists", Icons.Material.Filled.ListAlt, "/accounts/{AccountId:long}/lists"),
        new("Assign SMS credits", Icons.Material.Filled.Sms, "/accounts/{AccountId:long}/sms/assign-credits"),
        new("Plans", Icons.Material.Filled.WorkspacePremium, "/accounts/{AccountId:long}/plans"),
        new("Reports", Icons.Material.Filled.BarChart, "/accounts/{AccountId:long}/reports"),
        new("Alerts", Icons.Material.Filled.Notifications, "/accounts/{AccountId:long}/alerts"),
        new("Settings", Icons.Material.Filled.Settings, "/accounts/{AccountId:long}/settings", InUserMenu: true),
        new("API keys", Icons.Material.Filled.Key, "/accounts/{AccountId:long}/api-keys", InUserMenu: true),
        new("Webhooks", Icons.Material.Filled.Webhook, "/accounts/{AccountId:long}/webhooks", InUserMenu: true),
        new("Audit trail", Icons.Material.Filled.History, "/accounts/{AccountId:long}/audit", InUserMenu: true),
        new("Security", Icons.Material.Filled.Security, "/accounts/{AccountId:long}/security", InUserMenu: true),
        new("Support", Icons.Material.Filled.SupportAgent, "/support", SupportOnly: true),
        new("Support security", Icons.Material.Filled.AdminPanelSettings, "/support/security", SupportOnly: true),
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
