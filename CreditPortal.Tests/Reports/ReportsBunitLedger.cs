using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// The real ledger over a bunit context's database and clock, to build the data a page shows, plus the report
/// services registered in the context. The ledger lives in its own container (its writer only disposes
/// asynchronously); the test disposes it with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class ReportsBunitLedger : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ReportsBunitLedger(ServiceProvider services) => _services = services;

    public CreditLedger Ledger => _services.GetRequiredService<CreditLedger>();
    public OrderService Orders => _services.GetRequiredService<OrderService>();

    public static ReportsBunitLedger For(PortalBunitContext context)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.AppProject, "appsettings.json"), optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Payments:Provider"] = "Test" }) // the test cards
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(context.Clock);
        services.AddSingleton(context.Database.Portal);
        services.AddPortalDbContext(context.Database.Portal);
        services.AddCreditLedger(configuration);

        context.Services.AddSingleton(context.Database.Portal);
        context.Services.AddReports();
        return new ReportsBunitLedger(services.BuildServiceProvider());
    }

    public Task<long> CreateAccountAsync(string name) => Ledger.CreateAccountAsync(new NewAccount(name, "Europe/Rome"), LedgerHarness.SupportAgent);

    public Task<ConsumptionResult> SendAsync(long account, long list, long quantity, string? reference = null, Channel channel = Channel.Email,
        string? country = null)
        => Ledger.ConsumeAsync(account, new ConsumptionRequest(channel, list, quantity, country, reference, Guid.NewGuid().ToString("N")),
            LedgerHarness.Owner);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
