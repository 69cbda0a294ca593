using Bunit;
using Bunit.TestDoubles;
using CreditPortal.Accounts;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Features;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Orders;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// bunit with the portal's real services over a real, migrated SQLite file, and helpers to sign in
/// as an owner or as support. The ledger services are the app's own (<c>AddCreditLedger</c> with the app's
/// appsettings.json, as <see cref="LedgerHarness"/> builds them); the writer starts only when a test uses it.
/// </summary>
public class PortalBunitContext : BunitContext, IAsyncLifetime
{
    /// <summary>
    /// bunit's waits give up after one second by default; with several test processes on two shared cores a render
    /// can wait that long for a thread. A longer wait changes no assertion, it only stops timing from failing one.
    /// </summary>
    static PortalBunitContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    public PortalBunitContext()
    {
        Database = new TempDatabase("bunit").Migrate();
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        // MudBlazor calls JS for popovers, focus traps and breakpoints; loose mode answers every call with a default.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddPortalDbContext(Database.Portal);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(Clock);
        Services.AddScoped<AccountAccess>();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.AppProject, "appsettings.json"), optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:CreditPortal"] = Database.ConnectionString,
                // The test cards (tok_ok / tok_decline); the app itself has no provider unless configured.
                ["Payments:Provider"] = "Test",
            })
            .Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddSingleton(Database.Portal);
        Services.AddCreditLedger(configuration);
        Services.AddPortalFeatures();
        Services.AddSingleton<CreditPortal.Security.SecurityLog>(); // API keys write support keys' changes to it
        Services.AddSingleton<CreditPortal.Api.ApiKeyService>(); // the API keys page, and the Alerts page's "Revoke key…"
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

    public CreditLedger Ledger => Services.GetRequiredService<CreditLedger>();
    public OrderService Orders => Services.GetRequiredService<OrderService>();
    public LedgerQueries Queries => Services.GetRequiredService<LedgerQueries>();

    /// <summary>R7: a paid plan through its order, paid with the test card.</summary>
    public Task<PlanChangeResult> PayForPlanAsync(long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits, Actor actor)
        => Orders.ChangePlanAsync(accountId, channel, plan, subscriberCount, monthlyCredits, TestPaymentProvider.PayingToken, Guid.NewGuid().ToString("N"), actor);

    /// <summary>An account made the way the app makes them (wallets, first free lot), through the ledger.</summary>
    public async Task<Account> CreateAccountAsync(string name = "Acme", string timeZone = "Europe/Rome", string[]? productTypes = null,
        string[]? billingContacts = null)
    {
        var id = await Ledger.CreateAccountAsync(new NewAccount(name, timeZone, productTypes ?? [], billingContacts ?? ["billing@acme.test"]),
            Actor.Support("setup@example.test"));
        return (await Queries.GetAccountAsync(id))!;
    }

    public async Task<WalletView> WalletAsync(long accountId, Channel channel = Channel.Email) => (await Queries.GetWalletAsync(accountId, channel))!;

    public void SignInAsOwner(Account account, string email = "owner@example.test")
    {
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(PortalRoles.Owner);
        Authorization.SetClaims(new System.Security.Claims.Claim(PortalClaims.AccountId, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void SignInAsSupport(string email = "support@example.test", string displayName = "Agent Smith")
    {
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(PortalRoles.Support);
        // Support staff act under their display name (issue #12: owners read the audit trail, not support's emails).
        Authorization.SetClaims(new System.Security.Claims.Claim(PortalClaims.DisplayName, displayName));
    }

    /// <summary>
    /// Renders an account page as the app does: after MainLayout's MudBlazor providers (popovers, dialogs,
    /// snackbars), so that the menus, dialogs and snackbars it opens render into the same
    /// markup (<c>page.Find(".mud-dialog")</c>, <c>.mud-snackbar</c>, <c>.mud-popover-open</c>). Like the app's one
    /// layout, the providers exist once per test: a second page rendered in the same test shares the first one's.
    /// </summary>
    public IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderPage<TPage>(long accountId) where TPage : IComponent
        => RenderWithProviders(b =>
        {
            b.OpenComponent<TPage>(0);
            b.AddAttribute(1, "AccountId", accountId);
            b.CloseComponent();
        });

    private bool _providersRendered;

    /// <summary>Any fragment beside the providers the layout gives every page (see <see cref="RenderPage{TPage}"/>).</summary>
    public IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderWithProviders(RenderFragment content)
    {
        var withProviders = !_providersRendered;
        _providersRendered = true;
        return Render(b =>
        {
            if (withProviders)
            {
                b.OpenComponent<MudPopoverProvider>(0);
                b.CloseComponent();
                b.OpenComponent<MudDialogProvider>(1);
                b.CloseComponent();
                b.OpenComponent<MudSnackbarProvider>(2);
                b.CloseComponent();
            }
            b.AddContent(4, content);
        });
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

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// xunit calls this before <see cref="IDisposable.Dispose"/>: the ledger writer is async-disposable only (it
    /// drains its queue and closes its connection), which the synchronous container disposal refuses.
    /// </summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Database.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Database.Dispose();
    }
}
