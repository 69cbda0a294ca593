using Bunit;
using Bunit.TestDoubles;
using CreditPortal.Accounts;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// bunit with the portal's real services over a real, migrated SQLite file, and helpers to sign in
/// as an owner or as support.
/// </summary>
public class PortalBunitContext : BunitContext
{
    public PortalBunitContext()
    {
        Database = new TempDatabase("bunit").Migrate();
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
        Services.AddDbContextFactory<CreditPortalDbContext>(o => o.UseSqlite(Database.ConnectionString));
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(Clock);
        Services.AddScoped<AccountAccess>();
        Authorization = this.AddAuthorization();
    }

    public TempDatabase Database { get; }
    public ManualTimeProvider Clock { get; }
    public BunitAuthorizationContext Authorization { get; }

    public Account AddAccount(string name, string timeZone = "Europe/Rome")
    {
        using var db = Database.CreateContext();
        var account = new Account { Name = name, TimeZoneId = timeZone, CreatedAt = Clock.GetUtcNow() };
        db.Accounts.Add(account);
        db.SaveChanges();
        return account;
    }

    public void SignInAsOwner(Account account, string email = "owner@example.test")
    {
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(PortalRoles.Owner);
        Authorization.SetClaims(new System.Security.Claims.Claim(PortalClaims.AccountId, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void SignInAsSupport(string email = "support@example.test")
    {
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(PortalRoles.Support);
    }

    private bool _rendererInfoSet;

    /// <summary>Overrides the interactive-server default below, e.g. to render a component as prerendered.</summary>
    public new void SetRendererInfo(RendererInfo? rendererInfo)
    {
        _rendererInfoSet = true;
        base.SetRendererInfo(rendererInfo);
    }

    public override IRenderedComponent<TComponent> Render<TComponent>(RenderFragment renderFragment)
    {
        EnsureRendererInfo();
        return base.Render<TComponent>(renderFragment);
    }

    public override IRenderedComponent<Bunit.Rendering.ContainerFragment> Render(RenderFragment renderFragment)
    {
        EnsureRendererInfo();
        return base.Render(renderFragment);
    }

    /// <summary>
    /// Components render as the app runs them: interactive server. They read RendererInfo (controls stay
    /// disabled until interactive) and bunit throws when it is unset. Set at the first render, not in the
    /// constructor: it builds the renderer, after which a test could no longer add its own services.
    /// </summary>
    private void EnsureRendererInfo()
    {
        if (!_rendererInfoSet) SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Database.Dispose();
    }
}
