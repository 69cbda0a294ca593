namespace CreditPortal.Components.Layout;

/// <summary>A section of the side navigation. <see cref="Route"/> is the page's route template; an
/// account-scoped section has <c>{AccountId:long}</c> in it. <see cref="Icon"/> is a MudBlazor icon (SVG).
/// <see cref="InUserMenu"/>: also offered in the app bar's user menu (account-wide settings).</summary>
public sealed record PortalSection(string Title, string Icon, string Route, bool SupportOnly = false, bool InUserMenu = false)
{
    public bool IsAccountScoped => Route.Contains("{AccountId:long}", StringComparison.Ordinal);

    public string Href(long? accountId) =>
        IsAccountScoped ? Route.Replace("{AccountId:long}", accountId?.ToString(System.Globalization.CultureInfo.InvariantCulture)).TrimStart('/') : Route.TrimStart('/');
}
