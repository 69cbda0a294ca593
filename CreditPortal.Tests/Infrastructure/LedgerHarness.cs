using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Orders;
using CreditPortal.Scheduling;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// The real service layer (writer, rules, scheduler) over a real, migrated SQLite file, with the app's
/// own appsettings.json defaults and a manual clock. <see cref="RestartAsync"/> throws the in-memory
/// state away and starts again on the same file, like a process restart.
/// </summary>
public sealed class LedgerHarness : IAsyncDisposable
{
    private readonly Action<CreditsOptions>? _configure;
    private readonly Func<IServiceProvider, IPaymentProvider>? _payments;
    private ServiceProvider _services;
    private readonly bool _ownsDatabase = true;
    private readonly Action<UnusualUsageOptions>? _unusualUsage;

    private LedgerHarness(TempDatabase database, ManualTimeProvider clock, Action<CreditsOptions>? configure, Func<IServiceProvider, IPaymentProvider>? payments,
        bool ownsDatabase = true, Action<UnusualUsageOptions>? unusualUsage = null)
    {
        _ownsDatabase = ownsDatabase;
        _unusualUsage = unusualUsage;
        Database = database;
        Clock = clock;
        _configure = configure;
        _payments = payments;
        _services = Build();
    }

    public static readonly Actor Owner = Actor.Owner("owner@example.test");
    public static readonly Actor SupportAgent = Actor.Support("agent@example.test");

    public TempDatabase Database { get; }
    public ManualTimeProvider Clock { get; }
    public IServiceProvider Services => _services;
    public CreditLedger Ledger => _services.GetRequiredService<CreditLedger>();
    public OrderService Orders => _services.GetRequiredService<OrderService>();
    public LedgerQueries Queries => _services.GetRequiredService<LedgerQueries>();
    public Scheduler Scheduler => _services.GetRequiredService<Scheduler>();
    public CreditsOptions Options => _services.GetRequiredService<CreditsOptions>();
    public LedgerWriter Writer => _services.GetRequiredService<LedgerWriter>();

    public static LedgerHarness Start(DateTimeOffset start, Action<CreditsOptions>? configure = null,
        Func<IServiceProvider, IPaymentProvider>? payments = null)
        => new(new TempDatabase("ledger").Migrate(), new ManualTimeProvider(start), configure, payments);

    /// <summary>Issue #17: the harness with the hourly unusual-usage check on its scheduler (the app registers it; other ledger
    /// tests go without it), its options changed by <paramref name="configure"/>, and the API key service.</summary>
    public static LedgerHarness StartWithUnusualUsage(DateTimeOffset start, Action<UnusualUsageOptions>? configure = null)
        => new(new TempDatabase("ledger").Migrate(), new ManualTimeProvider(start), null, null, unusualUsage: configure ?? (_ => { }));

    public UnusualUsageWork UnusualUsage => _services.GetRequiredService<UnusualUsageWork>();

    /// <summary>A second app instance's services (its own writer, cache and scheduler) on the same database as
    /// <paramref name="other"/>, with its own clock at the same instant; the database stays <paramref name="other"/>'s.</summary>
    public static LedgerHarness Beside(LedgerHarness other)
        => new(other.Database, new ManualTimeProvider(other.Clock.GetUtcNow()), other._configure, other._payments, ownsDatabase: false, other._unusualUsage);

    /// <summary>A harness on a database of the given provider (the multi-instance tests need PostgreSQL whatever the pass).</summary>
    public static LedgerHarness Start(DateTimeOffset start, DatabaseProvider provider)
        => new(new TempDatabase("ledger", provider).Migrate(), new ManualTimeProvider(start), null, null);

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.AppProject, "appsettings.json"), optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:CreditPortal"] = Database.ConnectionString,
                [PortalDatabase.ProviderSetting] = Database.Provider.ToString(),
                // The test cards (tok_ok / tok_decline); the app itself has no provider unless configured.
                ["Payments:Provider"] = "Test",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IWebHostEnvironment>(new TestEnvironment(Database.Folder));
        services.AddSingleton(Clock);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Database.Portal);
        services.AddPortalDbContext(Database.Portal);
        services.AddCreditLedger(configuration);
        if (_configure is not null)
        {
            var options = configuration.GetSection(CreditsOptions.Section).Get<CreditsOptions>()!;
            _configure(options);
            services.AddSingleton(options);
        }
        if (_payments is not null) services.AddSingleton(_payments);
        if (_unusualUsage is not null)
        {
            services.AddUnusualUsageAlerts(configuration);
            var options = configuration.GetSection(UnusualUsageOptions.Section).Get<UnusualUsageOptions>()!;
            _unusualUsage(options);
            services.AddSingleton(options);
            services.AddSingleton<CreditPortal.Security.SecurityLog>();
            services.AddSingleton<CreditPortal.Api.ApiKeyService>();
        }
        services.AddSingleton<Scheduler>();
        return services.BuildServiceProvider();
    }

    /// <summary>Moves the manual clock and runs everything that became due, as PUT /api/v1/clock does.</summary>
    public async Task AdvanceToAsync(DateTimeOffset to)
    {
        Clock.MoveTo(to);
        await Scheduler.RunDueAsync();
    }

    public Task AdvanceAsync(TimeSpan by) => AdvanceToAsync(Clock.GetUtcNow() + by);

    /// <summary>Forgets everything in memory and starts the services again on the same database file.</summary>
    public async Task RestartAsync()
    {
        await _services.DisposeAsync();
        _services = Build();
    }

    public Task<long> CreateAccountAsync(string name = "Acme", string timeZone = "Europe/Rome", params string[] productTypes)
        => Ledger.CreateAccountAsync(new NewAccount(name, timeZone, productTypes, ["billing@acme.test"]), SupportAgent);

    public async Task<WalletView> WalletAsync(long accountId, Channel channel = Channel.Email)
        => (await Queries.GetWalletAsync(accountId, channel))!;

    public async Task<OrderResult> BuyAsync(long accountId, string packId, string token = TestPaymentProvider.PayingToken, string? key = null)
        => await Orders.OrderPackAsync(accountId, packId, token, key ?? Guid.NewGuid().ToString("N"), Owner);

    /// <summary>R7: a plan change through its order (paid with <paramref name="token"/> when the plan costs money).</summary>
    public Task<PlanChangeResult> ChangePlanAsync(long accountId, Channel channel, Plan plan, long? subscriberCount = null, long? monthlyCredits = null,
        string token = TestPaymentProvider.PayingToken, string? key = null)
        => Orders.ChangePlanAsync(accountId, channel, plan, subscriberCount, monthlyCredits, token, key ?? Guid.NewGuid().ToString("N"), Owner);

    public Task<long> GrantAsync(long accountId, long quantity, DateTimeOffset? expiresAt = null, Channel channel = Channel.Email)
        => Ledger.GrantAdjustmentAsync(accountId, channel, quantity, expiresAt, "test grant", SupportAgent);

    public Task<ConsumptionResult> SendAsync(long accountId, long listId, long quantity, Channel channel = Channel.Email, string? country = null, string? key = null)
        => Ledger.ConsumeAsync(accountId, new ConsumptionRequest(channel, listId, quantity, country, null, key ?? Guid.NewGuid().ToString("N")), Owner);

    /// <summary>The ledger check must find nothing after every scenario.</summary>
    public async Task AssertLedgerConsistentAsync()
    {
        var differences = await _services.GetRequiredService<LedgerCheck>().RunAsync();
        Assert.True(differences.Count == 0, "Ledger check found differences:\n" + string.Join("\n", differences));
    }

    public CreditPortalDbContext Db() => Database.CreateContext();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownsDatabase) Database.Dispose();
    }

    private sealed class TestEnvironment(string root) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = root;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "CreditPortal";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = Environments.Development;
    }
}
