using CreditPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Foundation;

/// <summary>The real app, on a real Kestrel port, with a fresh SQLite file.</summary>
public sealed class AppStartTests
{
    [Fact]
    public async Task Fresh_database_file_is_created_migrated_and_served()
    {
        using var database = new TempDatabase("start");
        Assert.False(File.Exists(database.FilePath));

        await using var server = await PortalServer.StartAsync(database.ConnectionString);
        using var client = server.CreateClient();

        var login = await client.GetAsync("account/login");
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync();
        Assert.Contains("name=\"Input.Email\"", html);
        Assert.Contains("name=\"Input.Password\"", html);
        Assert.NotNull(PortalLogin.TokenIn(html));

        var health = await client.GetAsync("health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        var checks = System.Text.Json.Nodes.JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)checks["database"]);
        Assert.NotEqual("Unhealthy", (string?)checks["status"]);

        Assert.True(File.Exists(database.FilePath));
        await using var db = database.CreateContext();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.NotEmpty(db.Database.GetMigrations());

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await pragma.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_login()
    {
        using var database = new TempDatabase("anon");
        await using var server = await PortalServer.StartAsync(database.ConnectionString);
        using var client = server.CreateClient();
        var home = await client.GetAsync("");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location!.AbsolutePath);
    }
}
