using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>Scoped account keys (docs/api.md): <c>send</c> by default; <c>manage</c> for what moves money or changes the account.</summary>
public sealed class ApiKeyScopeTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task A_new_key_can_send_and_read_but_a_manage_endpoint_is_403_insufficient_scope_and_changes_nothing()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Scoped", ""","productTypes":["Ticketing"]""");
        var list = await support.CreateListAsync(account, "News");
        var created = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"newsletter engine"}""");
        Assert.Equal(["send"], created["scopes"]!.AsArray().Select(s => (string)s!));
        var listed = (await support.GetJsonAsync($"api/v1/accounts/{account}/api-keys")).AsArray().Single()!;
        Assert.Equal(["send"], listed["scopes"]!.AsArray().Select(s => (string)s!));
        using var sender = app.As((string)created["key"]!);

        // What a sending system does.
        Assert.Equal("Accepted", (string)(await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 100, "s1")))["status"]!);
        await sender.WalletAsync(account);
        await sender.GetJsonAsync($"api/v1/accounts/{account}/consumptions");
        await sender.GetJsonAsync($"api/v1/accounts/{account}/reports/consumption?from=2026-11-01&to=2026-11-30");
        var before = await support.SnapshotAsync(account);

        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
                 {
                     (HttpMethod.Put, "wallets/Email/plan", """{"plan":"Free"}"""),
                     (HttpMethod.Post, "orders", """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"o1"}"""),
                     (HttpMethod.Post, "charge-now/quote", """{"channel":"Email"}"""),
                     (HttpMethod.Post, "charge-now", """{"channel":"Email","paymentToken":"tok_ok","idempotencyKey":"c1"}"""),
                     (HttpMethod.Put, "settings", """{"holdWhenOutOfCredits":true}"""),
                     (HttpMethod.Get, "settings", null),
                     (HttpMethod.Post, "lists", """{"name":"Sneaky"}"""),
                     (HttpMethod.Get, "lists", null),
                     (HttpMethod.Put, $"lists/{list}/allocation", """{"channel":"Email","mode":"Assigned","assigned":100}"""),
                     (HttpMethod.Put, $"lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":10}"""),
                 })
        {
            var refused = await sender.SendJsonAsync(method, $"api/v1/accounts/{account}/{path}", body, HttpStatusCode.Forbidden);
            Api.AssertProblem(refused, 403, code: "insufficient_scope");
        }
        Assert.Equal(before, await support.SnapshotAsync(account));
    }

    [Fact]
    public async Task A_manage_key_includes_send_and_may_buy_and_another_account_stays_404_not_403()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Managed");
        var other = await support.CreateAccountAsync("Someone else");
        var created = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"billing script","scopes":["manage"]}""");
        Assert.Equal(["send", "manage"], created["scopes"]!.AsArray().Select(s => (string)s!));
        using var manager = app.As((string)created["key"]!);

        var order = await manager.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"o1"}""");
        Assert.Equal("Paid", (string)order["status"]!);
        var list = await manager.CreateListAsync(account, "News");
        Assert.Equal("Accepted", (string)(await manager.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 10, "s1")))["status"]!);

        using var sender = app.As(await support.CreateKeyAsync(account, manage: false));
        await sender.SendJsonAsync(HttpMethod.Post, $"api/v1/accounts/{other}/orders", """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"o2"}""",
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_scope_is_400_naming_scopes()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Typo");
        var refused = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"x","scopes":["admin"]}""", HttpStatusCode.BadRequest);
        Api.AssertProblem(refused, 400, field: "scopes");
        Assert.Empty((await support.GetJsonAsync($"api/v1/accounts/{account}/api-keys")).AsArray());
    }

    [Fact]
    public async Task A_support_adjustment_with_an_idempotency_key_is_granted_once_and_answers_the_same_lot()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Goodwill");
        const string body = """{"channel":"Email","quantity":500,"reason":"outage goodwill","idempotencyKey":"ticket-4711"}""";

        var first = await support.PostJsonAsync($"api/v1/accounts/{account}/adjustments", body);
        var again = await support.PostJsonAsync($"api/v1/accounts/{account}/adjustments", body, HttpStatusCode.OK);

        Assert.Equal((long)first["lotId"]!, (long)again["lotId"]!);
        Assert.Equal(500, await support.TotalAsync(account));
        var conflict = await support.PostJsonAsync($"api/v1/accounts/{account}/adjustments", body.Replace("500", "5000"), HttpStatusCode.Conflict);
        Api.AssertProblem(conflict, 409, code: "idempotency_conflict");
        Assert.Equal(500, await support.TotalAsync(account));
        await support.PostJsonAsync($"api/v1/accounts/{account}/adjustments", """{"channel":"Email","quantity":500,"reason":"another"}""");
        Assert.Equal(1_000, await support.TotalAsync(account));   // without a key, each grant is its own
        Assert.Empty(await app.LedgerCheckAsync());
    }
}
