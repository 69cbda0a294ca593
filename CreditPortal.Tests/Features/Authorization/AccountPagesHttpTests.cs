using System.Net;
using CreditPortal.Demo;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Features.Authorization;

/// <summary>The real app with the demo seed and a second customer's account, started once for the class (the tests only read).</summary>
public sealed class DemoAndOtherAccountServer : IAsyncLifetime
{
    private readonly TempDatabase _database = new("pages-http");

    public PortalServer Server { get; private set; } = default!;
    public long DemoId { get; private set; }
    public long OtherId { get; private set; }

    public async Task InitializeAsync()
    {
        _database.Migrate();
        await using (var db = _database.CreateContext())
        {
            // Another customer, made before the app starts (the demo seed makes the owner's account).
            var other = new Account { Name = "Other Customer GmbH", TimeZoneId = "Europe/Berlin", CreatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
            db.Accounts.Add(other);
            await db.SaveChangesAsync();
            db.Wallets.AddRange(new Wallet { AccountId = other.Id, Channel = Channel.Email }, new Wallet { AccountId = other.Id, Channel = Channel.Sms });
            await db.SaveChangesAsync();
            OtherId = other.Id;
        }
        Server = await PortalServer.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Demo:Seed"] = "true" });
        await using (var db = _database.CreateContext())
            DemoId = (await db.Accounts.SingleAsync(a => a.Name == DemoOptions.AccountName)).Id;
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>What the prerendered answer of each account page says to whom (AccountGate's 404 is a real HTTP 404).</summary>
public sealed class AccountPagesHttpTests(DemoAndOtherAccountServer app) : IClassFixture<DemoAndOtherAccountServer>
{
    private static readonly string[] Routes = ["balance", "get-sendings", "lists", "plans", "settings", "alerts", "api-keys"];

    private PortalServer _server => app.Server;
    private long _demoId => app.DemoId;
    private long _otherId => app.OtherId;

    private async Task<HttpClient> LoggedInAsync(string email, string password)
    {
        var client = _server!.CreateClient();
        var login = await PortalLogin.PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task An_owner_gets_their_own_pages_and_404_for_another_account_s()
    {
        using var owner = await LoggedInAsync(DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);

        foreach (var route in Routes)
        {
            var own = await owner.GetAsync($"accounts/{_demoId}/{route}");
            Assert.True(own.StatusCode == HttpStatusCode.OK, $"{route}: {own.StatusCode}");

            var other = await owner.GetAsync($"accounts/{_otherId}/{route}");
            Assert.True(other.StatusCode == HttpStatusCode.NotFound, $"{route} of another account: {other.StatusCode}");
            var html = await other.Content.ReadAsStringAsync();
            Assert.Contains("data-testid=\"not-found\"", html);
            Assert.DoesNotContain("Other Customer GmbH", html);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("accounts/987654/balance")).StatusCode);
    }

    [Fact]
    public async Task The_owner_s_balance_is_prerendered_with_their_numbers()
    {
        using var owner = await LoggedInAsync(DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);

        var html = await owner.GetStringAsync($"accounts/{_demoId}/balance");

        Assert.Contains("data-testid=\"wallet-Email\"", html);
        Assert.Contains("Newsletter", html);
        Assert.Contains(DemoOptions.AccountName, html);
    }

    [Fact]
    public async Task Support_gets_any_account_s_pages()
    {
        using var support = await LoggedInAsync(DemoOptions.SupportEmail, DemoOptions.SupportPassword);

        foreach (var route in Routes)
        {
            var response = await support.GetAsync($"accounts/{_otherId}/{route}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {response.StatusCode}");
        }
        Assert.Contains("Other Customer GmbH", await support.GetStringAsync($"accounts/{_otherId}/balance"));
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_the_login()
    {
        using var anonymous = _server!.CreateClient();

        var response = await anonymous.GetAsync($"accounts/{_demoId}/balance");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }
}
