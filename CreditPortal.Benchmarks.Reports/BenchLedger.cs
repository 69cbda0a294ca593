using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Benchmarks.Reports;

/// <summary>The real ledger services over the benchmark's file, with a manual clock, as the tests' LedgerHarness builds them.</summary>
public sealed class BenchLedger : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchLedger(ServiceProvider services) => _services = services;

    public CreditLedger Ledger => _services.GetRequiredService<CreditLedger>();

    public static BenchLedger Start(BenchOptions o, DateTimeOffset now)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "creditportal.appsettings.json"), optional: false)
            .Build();
        var clock = new ManualTimeProvider(now);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole());
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new PortalDatabase(o.ConnectionString));
        services.AddDbContextFactory<CreditPortalDbContext>(b => b.UseSqlite(o.ConnectionString));
        services.AddCreditLedger(configuration);
        return new BenchLedger(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
