namespace CreditPortal.Api;

/// <summary>
/// First start (docs/api.md): when <c>Bootstrap:SupportApiKey</c> is set, a support key with that value exists.
/// Runs before the server listens (hosted services start before Kestrel), after the migrations.
/// </summary>
public sealed class ApiKeyBootstrap(IConfiguration configuration, ApiKeyService keys) : IHostedService
{
    public const string Setting = "Bootstrap:SupportApiKey";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var key = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(key)) await keys.EnsureSupportKeyAsync(key.Trim(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
