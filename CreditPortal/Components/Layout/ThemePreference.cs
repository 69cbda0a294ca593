namespace CreditPortal.Components.Layout;

/// <summary>
/// The light/dark choice, remembered in a cookie so that the very first HTML of the next visit (the server's
/// prerender) already has the chosen palette: App reads it from the request and hands it to the interactive
/// root (<see cref="Routes"/>), whose parameters survive the switch from prerender to the circuit. The layout's
/// switch writes the cookie through <c>MainLayout.razor.js</c>. A preference, not a secret: readable by script.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "CreditPortal.Theme";
    public const string Dark = "dark";
    public const string Light = "light";

    public static bool IsDark(HttpContext? http) => http?.Request.Cookies[CookieName] == Dark;
}
