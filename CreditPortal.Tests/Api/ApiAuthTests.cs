using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CreditPortal.Api;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Api;

/// <summary>Keys: bearer auth, 401/403 as problem+json, keys stored hashed, revocation at once, the OpenAPI document.</summary>
public sealed class ApiAuthTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer cpa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Missing_or_invalid_key_is_401_problem_json_and_never_a_login_redirect(string? authorization)
    {
        using var client = app.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/catalog");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Null(response.Headers.Location);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Api.AssertProblem(problem, 401, code: "unauthorized");
    }

    [Fact]
    public async Task Portal_login_cookie_does_not_open_the_api()
    {
        // A signed-in browser must not be able to call the API (no ambient credentials, so no CSRF).
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", "CreditPortal.Auth=forged-or-real-cookie");
        using var response = await client.GetAsync("api/v1/catalog");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bootstrap_support_key_works_and_is_stored_only_as_its_hash()
    {
        using var support = app.Support();
        var catalog = await support.GetJsonAsync("api/v1/catalog");
        Assert.Equal(7, catalog.AsArray().Count);

        await using var db = app.Database.CreateContext();
        var row = await db.ApiKeys.SingleAsync(k => k.IsSupport && k.Name == "bootstrap");
        Assert.Null(row.AccountId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiTestApp.SupportKey))), row.Hash);
        Assert.DoesNotContain(ApiTestApp.SupportKey, row.Prefix + row.Name + row.CreatedBy);
        Assert.True(row.Prefix.Length <= 4);
    }

    [Fact]
    public async Task Account_key_is_shown_once_stored_hashed_audited_and_revocable_at_once()
    {
        using var support = app.Support();
        var accountId = await support.CreateAccountAsync("Keyed");
        var created = await support.PostJsonAsync($"api/v1/accounts/{accountId}/api-keys", """{"name":"newsletter engine"}""");
        var key = (string)created["key"]!;
        var keyId = (long)created["id"]!;
        Assert.StartsWith(ApiKeyService.AccountKeyPrefix, key);
        Assert.True(key.Length >= 40);
        Assert.Equal(key[..12], (string)created["prefix"]!);

        // Listed by prefix only, never the key.
        var listed = await support.GetJsonAsync($"api/v1/accounts/{accountId}/api-keys");
        Assert.DoesNotContain(key, listed.ToJsonString());
        Assert.Equal(key[..12], (string)listed[0]!["prefix"]!);
        await using (var db = app.Database.CreateContext())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == keyId);
            Assert.Equal(ApiKeyService.Hash(key), row.Hash);
            Assert.Equal(accountId, row.AccountId);
            Assert.False(row.IsSupport);
        }

        // The key works (and is now cached) ...
        using var client = app.As(key);
        await client.WalletAsync(accountId);
        await client.WalletAsync(accountId);

        // ... until it is revoked: the very next request is 401, cache or not.
        await support.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{accountId}/api-keys/{keyId}", null, HttpStatusCode.NoContent);
        var problem = await client.GetJsonAsync($"api/v1/accounts/{accountId}/wallets/Email", HttpStatusCode.Unauthorized);
        Api.AssertProblem(problem, 401);
        // Revoking again changes nothing; a key id of another account is not found.
        await support.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{accountId}/api-keys/{keyId}", null, HttpStatusCode.NoContent);
        var other = await support.CreateAccountAsync("Other keyed");
        await support.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{other}/api-keys/{keyId}", null, HttpStatusCode.NotFound);

        var audit = await support.GetItemsAsync($"api/v1/accounts/{accountId}/audit");
        var createdEntry = Assert.Single(audit, a => (string)a!["action"]! == "apikey.created");
        Assert.Contains("newsletter engine", (string)createdEntry!["after"]!);
        Assert.Equal($"support-key:bootstrap (#1)", (string)createdEntry["actor"]!);
        Assert.Single(audit, a => (string)a!["action"]! == "apikey.revoked");
        Assert.DoesNotContain(key, audit.ToJsonString());
    }

    [Fact]
    public async Task Key_creation_for_an_unknown_account_creates_nothing()
    {
        using var support = app.Support();
        await using var db = app.Database.CreateContext();
        var before = await db.ApiKeys.CountAsync();
        var problem = await support.PostJsonAsync("api/v1/accounts/987654/api-keys", "{}", HttpStatusCode.NotFound);
        Api.AssertProblem(problem, 404);
        Assert.Equal(before, await db.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task Account_key_on_support_endpoints_is_403_on_its_own_account_and_404_on_others()
    {
        using var support = app.Support();
        var mine = await support.CreateAccountAsync("Mine");
        var theirs = await support.CreateAccountAsync("Theirs");
        using var client = app.As(await support.CreateKeyAsync(mine));

        Api.AssertProblem(await client.PostJsonAsync("api/v1/accounts", """{"name":"Sneaky"}""", HttpStatusCode.Forbidden), 403, code: "support_key_required");
        Api.AssertProblem(await client.GetJsonAsync("api/v1/accounts?search=", HttpStatusCode.Forbidden), 403);
        foreach (var id in new[] { mine, theirs })
        {
            var expected = id == mine ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            await client.PostJsonAsync($"api/v1/accounts/{id}/api-keys", "{}", expected);
            await client.GetJsonAsync($"api/v1/accounts/{id}/api-keys", expected);
            await client.PostJsonAsync($"api/v1/accounts/{id}/adjustments", """{"channel":"Email","quantity":5,"reason":"self-service"}""", expected);
            await client.GetJsonAsync($"api/v1/accounts/{id}/audit", expected);
        }
        Assert.Equal(0, await support.TotalAsync(mine));
    }

    [Fact]
    public async Task Unknown_api_paths_answer_problem_json_404_not_the_portal_page()
    {
        using var support = app.Support();
        var problem = await support.GetJsonAsync("api/v1/nothing-here", HttpStatusCode.NotFound);
        Api.AssertProblem(problem, 404);
        await support.GetJsonAsync("api/v1/accounts/not-a-number/wallets/Email", HttpStatusCode.NotFound);
        await support.GetJsonAsync("api/v1/accounts/99999999999999999999999/wallets/Email", HttpStatusCode.NotFound);
        await support.GetJsonAsync("api/v1/accounts/-1/wallets/Email", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApi_document_is_anonymous_and_describes_the_api()
    {
        using var client = app.Anonymous();
        using var response = await client.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = doc["paths"]!.AsObject();
        foreach (var path in new[]
                 {
                     "/api/v1/accounts", "/api/v1/catalog", "/api/v1/clock", "/api/v1/accounts/{accountId}/consumptions",
                     "/api/v1/accounts/{accountId}/orders", "/api/v1/accounts/{accountId}/wallets/{channel}",
                     "/api/v1/accounts/{accountId}/lists/{listId}/allocation", "/api/v1/accounts/{accountId}/adjustments",
                 })
            Assert.True(paths.ContainsKey(path), $"OpenAPI lacks {path}");
        var body = doc["paths"]!["/api/v1/accounts/{accountId}/consumptions"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("integer", (string)body["properties"]!["quantity"]!["type"]!);
        Assert.Contains("idempotencyKey", body["required"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("bearer", (string)doc["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!);
    }

    [Fact]
    public async Task Api_needs_no_antiforgery_token_for_posts()
    {
        using var support = app.Support();
        // A POST without any antiforgery token or cookie is accepted with a bearer key.
        var id = await support.CreateAccountAsync("No antiforgery");
        Assert.True(id > 0);
        using var client = app.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/accounts") { Content = Api.Json("""{"name":"x"}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiTestApp.SupportKey);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode); // the body is read as JSON whatever the header says
    }
}
