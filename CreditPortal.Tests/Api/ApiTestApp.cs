using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Tests.Api;

/// <summary>
/// The real app in-process (WebApplicationFactory) over HTTP, on its own migrated SQLite file, with the
/// bootstrap support key and a manual clock at <see cref="Start"/>. One per test class.
/// </summary>
public class ApiTestApp : WebApplicationFactory<Program>
{
    public const string SupportKey = "test-support-key-0123456789abcdef";
    public static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly bool _ownsDatabase;

    public ApiTestApp() : this(new TempDatabase("api"), ownsDatabase: true) { }

    /// <summary>On <paramref name="database"/>; when the caller owns it, it outlives the app (to start the app on it again).</summary>
    protected ApiTestApp(TempDatabase database, bool ownsDatabase)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
    }

    public TempDatabase Database { get; }

    /// <summary>Clock:Mode=Manual unless a subclass says otherwise.</summary>
    protected virtual bool ManualClock => true;

    /// <summary>Where the manual clock starts.</summary>
    protected virtual DateTimeOffset ClockStart => Start;

    /// <summary>Demo:Seed (off unless a subclass says otherwise).</summary>
    protected virtual bool DemoSeed => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in Database.Settings) builder.UseSetting(key, value);
        builder.UseSetting("Bootstrap:SupportApiKey", SupportKey);
        builder.UseSetting("Demo:Seed", DemoSeed ? "true" : "false");
        builder.UseSetting("Mail:PickupDirectory", Path.Combine(Database.Folder, "mail"));
        builder.UseSetting("Clock:Mode", ManualClock ? "Manual" : "System");
        builder.UseSetting("Clock:Start", ManualClock ? ClockStart.ToString("O", CultureInfo.InvariantCulture) : "");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public HttpClient Support() => As(SupportKey);

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient As(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public Task<IReadOnlyList<LedgerDifference>> LedgerCheckAsync() => Services.GetRequiredService<LedgerCheck>().RunAsync();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase) Database.Dispose();
    }
}

/// <summary>The same app with the system clock (no <c>PUT /api/v1/clock</c>).</summary>
public sealed class SystemClockApiTestApp : ApiTestApp
{
    protected override bool ManualClock => false;
}

/// <summary>Small HTTP helpers the API tests share (each asserts the status it expects).</summary>
public static class Api
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Json(json) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public static Task<JsonNode> PostJsonAsync(this HttpClient client, string path, string json, HttpStatusCode expected = HttpStatusCode.Created)
        => client.SendJsonAsync(HttpMethod.Post, path, json, expected);

    public static Task<JsonNode> PutJsonAsync(this HttpClient client, string path, string json, HttpStatusCode expected = HttpStatusCode.OK)
        => client.SendJsonAsync(HttpMethod.Put, path, json, expected);

    public static Task<JsonNode> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
        => client.SendJsonAsync(HttpMethod.Get, path, null, expected);

    /// <summary>Every item of a paged list: follows <c>next</c> (a relative URL) until it is null.</summary>
    public static async Task<JsonArray> GetItemsAsync(this HttpClient client, string path)
    {
        var items = new JsonArray();
        for (string? url = path; url is not null;)
        {
            var page = await client.GetJsonAsync(url.TrimStart('/'));
            foreach (var item in page["items"]!.AsArray().ToList()) items.Add(item!.DeepClone());
            url = (string?)page["next"];
        }
        return items;
    }

    public static async Task<long> CreateAccountAsync(this HttpClient support, string name, string? extra = null)
        => (long)(await support.PostJsonAsync("api/v1/accounts", $$"""{"name":"{{name}}"{{extra}}}"""))["id"]!;

    /// <summary>An account key; with <paramref name="manage"/> (the default here: the account's own systems in these tests also
    /// manage lists, plans and orders) both scopes, otherwise the sending-only default.</summary>
    public static async Task<string> CreateKeyAsync(this HttpClient support, long accountId, string name = "sender", bool manage = true)
        => (string)(await support.PostJsonAsync($"api/v1/accounts/{accountId}/api-keys",
            $$"""{"name":"{{name}}","scopes":""" + (manage ? """["send","manage"]}""" : """["send"]}""")))["key"]!;

    public static async Task<long> CreateListAsync(this HttpClient client, long accountId, string name)
        => (long)(await client.PostJsonAsync($"api/v1/accounts/{accountId}/lists", $$"""{"name":"{{name}}"}"""))["id"]!;

    public static async Task<long> GrantAsync(this HttpClient support, long accountId, long quantity, string channel = "Email", string? expiresAt = null)
        => (long)(await support.PostJsonAsync($"api/v1/accounts/{accountId}/adjustments",
            $$"""{"channel":"{{channel}}","quantity":{{quantity}},"reason":"test grant"{{(expiresAt is null ? "" : $",\"expiresAt\":\"{expiresAt}\"")}}}"""))["lotId"]!;

    public static Task<JsonNode> WalletAsync(this HttpClient client, long accountId, string channel = "Email")
        => client.GetJsonAsync($"api/v1/accounts/{accountId}/wallets/{channel}");

    public static async Task<long> TotalAsync(this HttpClient client, long accountId, string channel = "Email")
        => (long)(await client.WalletAsync(accountId, channel))["total"]!;

    public static string Consumption(long listId, long quantity, string key, string channel = "Email", string? country = null, string? reference = null)
        => $$"""{"channel":"{{channel}}","listId":{{listId}},"quantity":{{quantity}},"idempotencyKey":"{{key}}"{{(country is null ? "" : $",\"country\":\"{country}\"")}}{{(reference is null ? "" : $",\"reference\":\"{reference}\"")}}}""";

    /// <summary>
    /// Everything an account's state answers with (both wallets, every consumption, the ledger, the audit,
    /// alerts, settings): equal snapshots mean nothing changed.
    /// </summary>
    public static async Task<string> SnapshotAsync(this HttpClient support, long accountId)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "wallets/Email", "wallets/Sms", "consumptions?limit=1000", "ledger", "audit", "alerts", "settings", "lists", "api-keys" })
            parts.Add((await support.GetJsonAsync($"api/v1/accounts/{accountId}/{path}")).ToJsonString());
        return string.Join("\n", parts);
    }

    public static void AssertProblem(JsonNode problem, int status, string? field = null, string? code = null)
    {
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        if (field is not null)
            Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"errors should name '{field}': {problem.ToJsonString()}");
        if (code is not null) Assert.Equal(code, (string?)problem["code"]);
    }
}
