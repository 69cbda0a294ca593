using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CreditPortal.Benchmarks;

/// <summary>
/// Prepares the real app so that every benchmark request runs every rule and is Accepted: an account with a
/// purchase (R10 thresholds are checked), lots of several kinds and expiries (R1 order), a list with an
/// assignment (R4) and a monthly cap (R6) that the run cannot reach, and an account key. Prints shell
/// assignments: ACCOUNT=.. LIST=.. KEY=..
/// </summary>
public static class RealAppSetup
{
    public static async Task RunAsync(Uri baseAddress, string supportKey)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", supportKey);

        var account = (long)(await PostAsync(http, "api/v1/accounts", new { name = "Bench sender", productTypes = new[] { "Ticketing" } }))["id"]!;
        var list = (long)(await PostAsync(http, $"api/v1/accounts/{account}/lists", new { name = "Newsletter" }))["id"]!;
        await PostAsync(http, $"api/v1/accounts/{account}/orders", new { packId = "email-100000", paymentToken = "tok_ok", idempotencyKey = "bench-pack" });
        var expiry = TimeProvider.System.GetUtcNow().AddYears(3).ToString("O");
        await PostAsync(http, $"api/v1/accounts/{account}/adjustments", new { channel = "Email", quantity = 1_000_000_000, reason = "benchmark credits" });
        await PostAsync(http, $"api/v1/accounts/{account}/adjustments", new { channel = "Email", quantity = 1_000_000_000, expiresAt = expiry, reason = "benchmark credits" });
        await PutAsync(http, $"api/v1/accounts/{account}/lists/{list}/allocation",
            new { channel = "Email", mode = "Assigned", assigned = 1_000_000_000, reason = "benchmark" });
        await PutAsync(http, $"api/v1/accounts/{account}/lists/{list}/cap", new { channel = "Email", enabled = true, perMonth = 1_000_000_000, reason = "benchmark" });
        var key = (string)(await PostAsync(http, $"api/v1/accounts/{account}/api-keys", new { name = "bench" }))["key"]!;
        Console.WriteLine($"ACCOUNT={account} LIST={list} KEY={key}");
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, object body) => await SendAsync(http, HttpMethod.Post, path, body);

    private static async Task<JsonNode> PutAsync(HttpClient http, string path, object body) => await SendAsync(http, HttpMethod.Put, path, body);

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, object body)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
