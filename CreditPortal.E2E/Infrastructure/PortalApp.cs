using System.Globalization;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>How to start the app for a browser test.</summary>
public sealed record PortalAppOptions
{
    /// <summary>The demo account and logins (README); on by default because most browser tests log in with them.</summary>
    public bool DemoSeed { get; init; } = true;

    /// <summary>When set: <c>Clock:Mode=Manual</c> starting at this instant, so pages show predictable dates.</summary>
    public DateTimeOffset? ManualClockStart { get; init; }

    /// <summary>Any other configuration keys (<c>Section:Key</c>), applied last.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The real app (its Release/Debug build output, started by the shared <see cref="PortalServer"/>) on a free
/// loopback port with its own fresh SQLite file, deleted afterwards.
/// </summary>
public sealed class PortalApp : IAsyncDisposable
{
    private PortalApp(TempDatabase database, PortalServer server)
    {
        Database = database;
        Server = server;
    }

    /// <summary>The app's SQLite file: arrange or inspect data directly when the UI is not the subject.</summary>
    public TempDatabase Database { get; }
    public PortalServer Server { get; }
    public Uri BaseAddress => Server.BaseAddress;

    public static async Task<PortalApp> StartAsync(PortalAppOptions? options = null)
    {
        options ??= new PortalAppOptions();
        var settings = new Dictionary<string, string> { ["Demo:Seed"] = options.DemoSeed ? "true" : "false" };
        if (options.ManualClockStart is { } start)
        {
            settings["Clock:Mode"] = "Manual";
            settings["Clock:Start"] = start.ToString("O", CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in options.Settings) settings[key] = value;

        var database = new TempDatabase("e2e");
        try
        {
            return new PortalApp(database, await PortalServer.StartAsync(database.ConnectionString, settings));
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Database.Dispose();
    }
}

/// <summary>
/// One app per test class (<c>IClassFixture&lt;PortalAppFixture&gt;</c>): starting it costs a few seconds, and
/// tests that only read the demo data can share it. Derive and override <see cref="Options"/> for another
/// configuration (e.g. a manual clock); start a <see cref="PortalApp"/> inside the test when it must not
/// share its database with anyone.
/// </summary>
public class PortalAppFixture : IAsyncLifetime
{
    private PortalApp? _app;

    protected virtual PortalAppOptions Options => new();

    public PortalApp App => _app ?? throw new InvalidOperationException("The app is not started yet.");

    public async Task InitializeAsync() => _app = await PortalApp.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
