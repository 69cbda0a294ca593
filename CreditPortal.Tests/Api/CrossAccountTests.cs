using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>
/// The access matrix: account key A on every endpoint of account B answers 404 (exactly as for an
/// account that does not exist), no key 401, a revoked key 401, and nothing of B (or A) changes.
/// </summary>
public sealed class CrossAccountTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private static IEnumerable<(HttpMethod Method, string Path, string? Body)> Endpoints(long account, long list, long keyId) =>
    [
        (HttpMethod.Get, $"api/v1/accounts/{account}/wallets/Email", null),
        (HttpMethod.Get, $"api/v1/accounts/{account}/wallets/Sms", null),
        (HttpMethod.Put, $"api/v1/accounts/{account}/wallets/Email/plan", """{"plan":"Pro"}"""),
        (HttpMethod.Post, $"api/v1/accounts/{account}/orders", """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"steal-1"}"""),
        (HttpMethod.Post, $"api/v1/accounts/{account}/charge-now/quote", """{"channel":"Email"}"""),
        (HttpMethod.Post, $"api/v1/accounts/{account}/charge-now", """{"channel":"Email","paymentToken":"tok_ok"}"""),
        (HttpMethod.Post, $"api/v1/accounts/{account}/lists", """{"name":"Intruder"}"""),
        (HttpMethod.Get, $"api/v1/accounts/{account}/lists", null),
        (HttpMethod.Put, $"api/v1/accounts/{account}/lists/{list}/allocation", """{"channel":"Email","mode":"Assigned","assigned":10}"""),
        (HttpMethod.Put, $"api/v1/accounts/{account}/lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":1}"""),
        (HttpMethod.Put, $"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":true,"billingContacts":["thief@example.test"]}"""),
        (HttpMethod.Get, $"api/v1/accounts/{account}/settings", null),
        (HttpMethod.Post, $"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 10, "steal-2")),
        (HttpMethod.Get, $"api/v1/accounts/{account}/consumptions", null),
        (HttpMethod.Get, $"api/v1/accounts/{account}/consumptions?listId={list}", null),
        (HttpMethod.Get, $"api/v1/accounts/{account}/alerts", null),
        (HttpMethod.Get, $"api/v1/accounts/{account}/ledger", null),
        (HttpMethod.Get, $"api/v1/accounts/{account}/audit", null),
        (HttpMethod.Post, $"api/v1/accounts/{account}/api-keys", """{"name":"backdoor"}"""),
        (HttpMethod.Get, $"api/v1/accounts/{account}/api-keys", null),
        (HttpMethod.Delete, $"api/v1/accounts/{account}/api-keys/{keyId}", null),
        (HttpMethod.Post, $"api/v1/accounts/{account}/adjustments", """{"channel":"Email","quantity":1000,"reason":"gift"}"""),
    ];

    [Fact]
    public async Task Account_key_on_every_endpoint_of_another_account_is_404_and_changes_nothing()
    {
        using var support = app.Support();
        var a = await support.CreateAccountAsync("Tenant A");
        var b = await support.CreateAccountAsync("Tenant B");
        var listB = await support.CreateListAsync(b, "B news");
        await support.GrantAsync(b, 500);
        var keyB = await support.PostJsonAsync($"api/v1/accounts/{b}/api-keys", """{"name":"b"}""");
        using var clientA = app.As(await support.CreateKeyAsync(a));
        await support.PutJsonAsync($"api/v1/accounts/{b}/wallets/Email/plan",
            """{"plan":"Standard","subscriberCount":100,"paymentToken":"tok_ok","idempotencyKey":"plan-b"}""");
        var beforeA = await support.SnapshotAsync(a);
        var beforeB = await support.SnapshotAsync(b);

        var failures = new List<string>();
        foreach (var (method, path, body) in Endpoints(b, listB, (long)keyB["id"]!))
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Api.Json(body) };
            using var response = await clientA.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{method} {path}: {(int)response.StatusCode} {text}");
            // Exactly the answer of an account that does not exist: nothing tells that B exists.
            else if (!text.Contains($"Account {b} was not found.", StringComparison.Ordinal))
                failures.Add($"{method} {path}: 404 but says {text}");
        }
        // A's own account with B's list id: the list is not A's.
        await clientA.PostJsonAsync($"api/v1/accounts/{a}/consumptions", Api.Consumption(listB, 1, "cross-list"), HttpStatusCode.NotFound);
        await clientA.PutJsonAsync($"api/v1/accounts/{a}/lists/{listB}/allocation", """{"channel":"Email","mode":"Shared"}""", HttpStatusCode.NotFound);
        await clientA.PutJsonAsync($"api/v1/accounts/{a}/lists/{listB}/cap", """{"channel":"Email","enabled":false}""", HttpStatusCode.NotFound);
        await clientA.GetJsonAsync($"api/v1/accounts/{a}/consumptions?listId={listB}", HttpStatusCode.NotFound);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(beforeB, await support.SnapshotAsync(b));
        Assert.Equal(beforeA, await support.SnapshotAsync(a));
    }

    [Fact]
    public async Task No_key_and_a_revoked_key_are_401_on_every_endpoint()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Locked");
        var list = await support.CreateListAsync(account, "Locked news");
        await support.GrantAsync(account, 500);
        var created = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"soon revoked"}""");
        var key = (string)created["key"]!;
        using var keyed = app.As(key);
        await keyed.WalletAsync(account); // works, and is cached
        await support.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{account}/api-keys/{(long)created["id"]!}", null, HttpStatusCode.NoContent);
        var before = await support.SnapshotAsync(account);

        using var anonymous = app.Anonymous();
        var failures = new List<string>();
        var everything = Endpoints(account, list, (long)created["id"]!)
            .Append((HttpMethod.Get, "api/v1/catalog", null))
            .Append((HttpMethod.Get, "api/v1/accounts?search=Locked", null))
            .Append((HttpMethod.Post, "api/v1/accounts", """{"name":"x"}"""))
            .Append((HttpMethod.Put, "api/v1/clock", """{"now":"2030-01-01T00:00:00Z"}"""));
        foreach (var (method, path, body) in everything)
        {
            foreach (var (who, client) in new[] { ("no key", anonymous), ("revoked key", keyed) })
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Api.Json(body) };
                using var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{who}: {method} {path}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await support.SnapshotAsync(account));
        // The refused PUT /clock did not move time: moving it to one minute after the start still works.
        await support.PutJsonAsync("api/v1/clock", $$"""{"now":"{{ApiTestApp.Start.AddMinutes(1):O}}"}""");
    }

    [Fact]
    public async Task Support_key_on_an_unknown_account_is_404_everywhere()
    {
        using var support = app.Support();
        var failures = new List<string>();
        foreach (var (method, path, body) in Endpoints(424242, 1, 1))
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Api.Json(body) };
            using var response = await support.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{method} {path}: {(int)response.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
