using CreditPortal.Accounts;
using CreditPortal.Api;
using CreditPortal.Clock;
using CreditPortal.Components;
using CreditPortal.Data;
using CreditPortal.Demo;
using CreditPortal.Features;
using CreditPortal.Health;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Orders;
using CreditPortal.Reports;
using CreditPortal.Scheduling;
using CreditPortal.Security;
using CreditPortal.Webhooks;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
// Before anything is registered: a server that would give credits away must not start (docs/domain.md §5).
PaymentsOptions.From(builder.Configuration).EnsureAllowedIn(builder.Environment);

// Settings the app must not run with (Production with the demo seed or a manual clock, a guessable configured key):
// refuse before anything starts, with the reason and the fix.
var refusals = StartupChecks.Refusals(builder.Configuration, builder.Environment);
if (refusals.Count > 0)
{
    foreach (var refusal in refusals) Console.Error.WriteLine($"CreditPortal refuses to start: {refusal}");
    return 1;
}

// Composition root only: each feature registers itself through its own extension method.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddPortalClock(builder.Configuration);
builder.Services.AddPortalData(builder.Configuration, builder.Environment);
builder.Services.AddPortalSecurity(builder.Configuration);
builder.Services.AddPortalIdentity(builder.Configuration, builder.Environment);
builder.Services.AddScoped<PortalUsers>();
builder.Services.AddScoped<AccountAccess>();
builder.Services.AddSingleton<CreditPortal.Support.AccountDirectory>();
builder.Services.AddScoped<CreditPortal.Support.OwnerLogins>();
builder.Services.AddSingleton<CreditPortal.Support.AccountLogins>();
builder.Services.AddSingleton<CreditPortal.Support.SetAsideAccounts>();
builder.Services.AddCreditLedger(builder.Configuration);
builder.Services.AddUnusualUsageAlerts(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddPortalFeatures();
builder.Services.AddSingleton<Scheduler>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
builder.Services.AddCreditPortalApi();
builder.Services.AddPortalHealthChecks(builder.Configuration);
builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.Section));
builder.Services.AddReports();

var app = builder.Build();

await DatabaseInitializer.InitializeAsync(app.Services);
// The app's metrics watch the writer from the start (not from the first consumption that asks for them).
_ = app.Services.GetRequiredService<PortalMetrics>();
if (AddSupportUserCommand.IsRequested(args))
    return await AddSupportUserCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
if (builder.Configuration.GetValue<bool>("Demo:Seed"))
    await DemoSeeder.SeedAsync(app.Services);

app.UsePortalTransport();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);

app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
// After authorization: by then an API request's user is its key, which the per-key limits partition by.
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapReportDownloads();
app.MapPortalHealth();
app.MapLogout();
app.MapCreditPortalApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
