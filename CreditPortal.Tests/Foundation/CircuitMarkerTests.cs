using Bunit;
using CreditPortal.Components.Layout;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace CreditPortal.Tests.Foundation;

/// <summary>
/// The header's sidebar toggle is the browser tests' sign that the circuit is live (CreditPortal.E2E
/// PortalPages.WaitForBlazorAsync): disabled while prerendered, enabled once interactive.
/// </summary>
public sealed class CircuitMarkerTests : PortalBunitContext
{
    private IRenderedComponent<MainLayout> RenderLayout()
        => Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p>page</p>"))));

    [Fact]
    public void Sidebar_toggle_is_enabled_when_rendered_interactively()
    {
        SignInAsSupport();

        var toggle = RenderLayout().Find("[data-testid=sidebar-toggle]");

        Assert.False(toggle.HasAttribute("disabled"));
    }

    [Fact]
    public void Sidebar_toggle_is_disabled_when_prerendered()
    {
        SignInAsSupport();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var toggle = RenderLayout().Find("[data-testid=sidebar-toggle]");

        Assert.True(toggle.HasAttribute("disabled"));
    }
}
