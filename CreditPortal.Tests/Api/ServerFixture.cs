using System.Globalization;
using System.Net.Http.Headers;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Api;

/// <summary>The real app as its own process on a real Kestrel port (PortalServer), with the bootstrap support key
/// and a manual clock; restartable on the same SQLite file.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public TempDatabase Database { get; } = new("api-server");
    public PortalServer Server { get; private set; } = default!;

    public static Dictionary<string, string> Settings(TempDatabase database) => new(database.Settings)
    {
        ["Bootstrap:SupportApiKey"] = ApiTestApp.SupportKey,
        ["Clock:Mode"] = "Manual",
        ["Clock:Start"] = ApiTestApp.Start.ToString("O", CultureInfo.InvariantCulture),
        ["Mail:PickupDirectory"] = Path.Combine(database.Folder, "mail"),
    };

    public async Task InitializeAsync() => Server = await PortalServer.StartAsync(Database.ConnectionString, Settings(Database));

    /// <summary>SIGKILL, then a new process on the same file.</summary>
    public async Task KillAndRestartAsync()
    {
        Server.Kill();
        await Server.DisposeAsync();
        Server = await PortalServer.StartAsync(Database.ConnectionString, Settings(Database));
    }

    public HttpClient Client(string key)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Support() => Client(ApiTestApp.SupportKey);

    /// <summary>The ledger check straight on the SQLite file, independent of the server process.</summary>
    public Task<IReadOnlyList<LedgerDifference>> LedgerCheckAsync() => new LedgerCheck(Database.Portal).RunAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        Database.Dispose();
    }
}
