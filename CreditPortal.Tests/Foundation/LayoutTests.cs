using Bunit;
using CreditPortal.Components.Layout;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Foundation;

public sealed class LayoutTests : PortalBunitContext
{
    private IRenderedComponent<MainLayout> RenderLayout()
        => Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id='body'>page</p>"))));

    [Fact]
    public void Owner_sees_their_account_name_user_menu_and_owner_sections()
    {
        var account = AddAccount("Acme Newsletters");
        SignInAsOwner(account, "ann@acme.test");

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("Acme Newsletters", layout.Find("[data-testid=header-account]").TextContent.Trim()));
        Assert.Equal("ann@acme.test", layout.Find("[data-testid=user-name]").TextContent.Trim());
        Assert.NotNull(layout.Find("#body"));
        // Log out and the account-wide sections are in the user menu (reachable on a phone, where the name is hidden).
        var submit = JSInterop.SetupModule("./Components/Layout/MainLayout.razor.js").SetupVoid("submitForm", _ => true);
        layout.Find("[data-testid=user-menu] button").Click();
        layout.WaitForAssertion(() => Assert.NotNull(layout.Find("[data-testid=logout]")));
        var menu = layout.FindAll(".mud-popover-open .mud-menu-item").Select(i => i.TextContent.Trim()).ToList();
        Assert.Equal("ann@acme.test", menu[0]);
        foreach (var section in PortalSections.Built.Where(s => s.InUserMenu && !s.SupportOnly))
            Assert.Contains(section.Title, menu);
        // Log out posts the form that carries the antiforgery token (a GET could be forged by any page).
        Assert.NotNull(layout.Find("form#logout-form[method=post][action='account/logout']"));
        layout.Find("[data-testid=logout]").Click();
        Assert.Equal(["logout-form"], Assert.Single(submit.Invocations).Arguments);

        var links = NavLinks(layout);
        Assert.Contains("Home", links);
        foreach (var section in PortalSections.Built.Where(s => !s.SupportOnly))
            Assert.Contains(section.Title, links);
        Assert.DoesNotContain("Support", links);
    }

    [Fact]
    public void Owner_links_point_at_their_own_account()
    {
        var other = AddAccount("Other Co");
        var account = AddAccount("Acme Newsletters");
        SignInAsOwner(account);

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Contains("Acme", layout.Find("[data-testid=header-account]").TextContent));
        foreach (var href in layout.FindAll("a[href^='accounts/']").Select(a => a.GetAttribute("href")!))
        {
            Assert.StartsWith($"accounts/{account.Id}/", href);
            Assert.False(href.StartsWith($"accounts/{other.Id}/"));
        }
    }

    [Fact]
    public void Support_without_an_account_in_view_sees_the_support_badge_and_no_account_sections()
    {
        AddAccount("Acme Newsletters");
        SignInAsSupport();

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("Support", layout.Find("[data-testid=header-account]").TextContent.Trim()));
        var links = NavLinks(layout);
        Assert.Contains("Home", links);
        foreach (var section in PortalSections.Built.Where(s => s.IsAccountScoped))
            Assert.DoesNotContain(section.Title, links);
        Assert.Equal(PortalSections.Built.Any(s => s.SupportOnly), links.Contains("Support"));
    }

    [Fact]
    public void Support_viewing_an_account_sees_its_name_and_its_sections()
    {
        var account = AddAccount("Beta Mail");
        SignInAsSupport();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"accounts/{account.Id}/balance");

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("Beta Mail", layout.Find("[data-testid=header-account]").TextContent.Trim()));
        foreach (var href in layout.FindAll("a[href^='accounts/']").Select(a => a.GetAttribute("href")!))
            Assert.StartsWith($"accounts/{account.Id}/", href);
    }

    [Fact]
    public void Sections_are_linked_only_once_their_page_exists()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>())
            .Select(r => r.Template).ToHashSet();
        foreach (var section in PortalSections.Planned)
            Assert.Equal(routes.Contains(section.Route), PortalSections.Built.Contains(section));
    }

    [Fact]
    public void The_theme_starts_as_the_request_s_cookie_said_and_the_switch_remembers_the_choice()
    {
        var account = AddAccount("Acme Newsletters");
        SignInAsOwner(account);
        var remember = JSInterop.SetupModule("./Components/Layout/MainLayout.razor.js").SetupVoid("rememberTheme", _ => true);

        var layout = Render<MainLayout>(p => p
            .Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id='body'>page</p>")))
            .AddCascadingValue(nameof(CreditPortal.Components.Routes.DarkMode), true));

        Assert.Equal("true", layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-pressed"));
        Assert.True(layout.FindComponent<MudBlazor.MudThemeProvider>().Instance.IsDarkMode);

        layout.Find("[data-testid=theme-toggle]").Click();

        layout.WaitForAssertion(() => Assert.False(layout.FindComponent<MudBlazor.MudThemeProvider>().Instance.IsDarkMode));
        Assert.Equal("false", layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-pressed"));
        var call = Assert.Single(remember.Invocations);
        Assert.Equal([ThemePreference.CookieName, ThemePreference.Light], call.Arguments);
    }

    [Fact]
    public void The_theme_cookie_is_read_from_the_request()
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.False(ThemePreference.IsDark(http));
        http.Request.Headers.Cookie = $"{ThemePreference.CookieName}={ThemePreference.Dark}";
        Assert.True(ThemePreference.IsDark(http));
        http.Request.Headers.Cookie = $"{ThemePreference.CookieName}=purple";
        Assert.False(ThemePreference.IsDark(http));
        Assert.False(ThemePreference.IsDark(null));
    }

    private static List<string> NavLinks(IRenderedComponent<MainLayout> layout)
        => layout.FindAll("[data-testid=nav] .mud-nav-link-text").Select(e => e.TextContent.Trim()).ToList();
}
