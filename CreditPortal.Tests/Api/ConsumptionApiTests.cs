using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary><c>POST/GET .../consumptions</c>: statuses and reasons, SMS rates, idempotent retries, paging.</summary>
public sealed class ConsumptionApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private async Task<(HttpClient Support, HttpClient Client, long Account, long List, long KeyId)> AccountAsync(string name, long credits)
    {
        var support = app.Support();
        var account = await support.CreateAccountAsync(name);
        var created = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"sender","scopes":["send","manage"]}""");
        var client = app.As((string)created["key"]!);
        var list = await client.CreateListAsync(account, "News");
        if (credits > 0) await support.GrantAsync(account, credits);
        return (support, client, account, list, (long)created["id"]!);
    }

    [Fact]
    public async Task Accepted_consumption_is_201_draws_its_credits_and_names_the_key_in_the_ledger()
    {
        var (support, client, account, list, keyId) = await AccountAsync("Accepting", 1_000);
        using var _ = support; using var __ = client;

        var answer = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 300, "send-1", reference: "campaign 42"));
        Assert.Equal("Accepted", (string)answer["status"]!);
        Assert.Null(answer["reason"]);
        Assert.Equal(2, answer.AsObject().Count);
        var wallet = await client.WalletAsync(account);
        Assert.Equal(700, (long)wallet["total"]!);
        Assert.Equal(300, (long)wallet["lists"]![0]!["sentThisMonth"]!);

        var entry = (await client.GetItemsAsync($"api/v1/accounts/{account}/ledger?channel=Email")).Last()!;
        Assert.Equal("Consumption", (string)entry["kind"]!);
        Assert.Equal(-300, (long)entry["quantity"]!);
        Assert.Equal($"api-key:sender (#{keyId})", (string)entry["actor"]!);
        var item = (await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions"))["items"]![0]!;
        Assert.Equal("campaign 42", (string)item["reference"]!);
        Assert.Equal((long)answer["id"]!, (long)item["id"]!);
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Preview_answers_200_with_what_the_send_would_do_records_nothing_and_the_send_agrees()
    {
        var (support, client, account, list, _) = await AccountAsync("Previewing", 1_000);
        using var _s = support; using var _c = client;
        await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":500}""");
        var before = await support.SnapshotAsync(account);

        // The same body as the consumption, idempotency key included (ignored).
        var preview = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview", Api.Consumption(list, 300, "p-1"), HttpStatusCode.OK);

        Assert.Equal("Accepted", (string)preview["status"]!);
        Assert.Null(preview["reason"]);
        Assert.Equal(300, (long)preview["credits"]!);
        var draw = preview["draws"]!.AsArray().Single()!;
        Assert.Equal(("Adjustment", 300L), ((string)draw["kind"]!, (long)draw["credits"]!));
        Assert.Equal((300L, 200L, "Shared"), ((long)preview["list"]!["sentThisMonth"]!, (long)preview["list"]!["capLeft"]!, (string)preview["list"]!["mode"]!));
        Assert.Equal(700, (long)preview["walletTotal"]!);
        Assert.Null(preview["warning"]);
        Assert.Equal(before, await support.SnapshotAsync(account));

        var sent = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 300, "p-1"));
        Assert.Equal("Accepted", (string)sent["status"]!);
        Assert.Equal(700, await client.TotalAsync(account));

        var beyond = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview", Api.Consumption(list, 201, "p-2"), HttpStatusCode.OK);
        Assert.Equal(("Rejected", "monthly_cap"), ((string)beyond["status"]!, (string)beyond["reason"]!));
        Assert.Empty(beyond["draws"]!.AsArray());
        Assert.Equal("monthly_cap", (string)(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 201, "p-2")))["reason"]!);

        // Bad input is 400 naming the field, an unknown list 404, like the consumption; none of it changes anything.
        before = await support.SnapshotAsync(account);
        Api.AssertProblem(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview",
            $$"""{"channel":"Sms","listId":{{list}},"quantity":1,"country":"XX"}""", HttpStatusCode.BadRequest), 400, "country", "unsupported_country");
        Api.AssertProblem(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview",
            $$"""{"channel":"Email","listId":{{list}}}""", HttpStatusCode.BadRequest), 400, "quantity");
        Api.AssertProblem(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview",
            $$"""{"channel":"Email","listId":{{list + 1000}},"quantity":1}""", HttpStatusCode.NotFound), 404);
        Assert.Equal(before, await support.SnapshotAsync(account));
    }

    [Fact]
    public async Task Refused_consumptions_are_still_201_with_status_Rejected_and_the_reason()
    {
        var (support, client, account, list, _) = await AccountAsync("Refusing", 100);
        using var _s = support; using var _c = client;

        var insufficient = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 101, "too-much"));
        Assert.Equal("Rejected", (string)insufficient["status"]!);
        Assert.Equal("insufficient_credits", (string)insufficient["reason"]!);
        Assert.Equal(100, await client.TotalAsync(account));

        await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":10}""");
        var capped = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 11, "over-cap"));
        Assert.Equal("monthly_cap", (string)capped["reason"]!);
        Assert.Equal(100, await client.TotalAsync(account));

        var page = await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?status=Rejected");
        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.All(page["items"]!.AsArray(), i => Assert.Equal("Rejected", (string)i!["status"]!));
    }

    [Fact]
    public async Task With_hold_on_a_blocked_consumption_is_Queued_and_released_by_a_grant()
    {
        var (support, client, account, list, _) = await AccountAsync("Holding", 50);
        using var _s = support; using var _c = client;
        await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":true}""");

        var queued = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 80, "held"));
        Assert.Equal("Queued", (string)queued["status"]!);
        Assert.Equal("insufficient_credits", (string)queued["reason"]!);
        Assert.Equal(1, (int)(await client.WalletAsync(account))["queued"]!);

        await support.GrantAsync(account, 100);
        var wallet = await client.WalletAsync(account);
        Assert.Equal(0, (int)wallet["queued"]!);
        Assert.Equal(70, (long)wallet["total"]!);
        var item = (await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions"))["items"]![0]!;
        Assert.Equal("Accepted", (string)item["status"]!);
        // A retry still answers what the first request was told.
        var retry = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 80, "held"), HttpStatusCode.OK);
        Assert.Equal(queued.ToJsonString(), retry.ToJsonString());
    }

    [Fact]
    public async Task Sms_costs_the_country_rate_and_an_unknown_country_is_400_unsupported_country()
    {
        var (support, client, account, list, _) = await AccountAsync("Texting", 0);
        using var _s = support; using var _c = client;
        await support.GrantAsync(account, 100, "Sms");

        var us = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 5, "sms-us", "Sms", "US"));
        Assert.Equal("Accepted", (string)us["status"]!);
        Assert.Equal(90, await client.TotalAsync(account, "Sms"));
        var item = (await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?channel=Sms"))["items"]![0]!;
        Assert.Equal(5, (long)item["quantity"]!);
        Assert.Equal(10, (long)item["credits"]!);

        var before = await support.SnapshotAsync(account);
        var unknown = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 5, "sms-xx", "Sms", "XX"),
            HttpStatusCode.BadRequest);
        Api.AssertProblem(unknown, 400, "country", "unsupported_country");
        var missing = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 5, "sms-none", "Sms"),
            HttpStatusCode.BadRequest);
        Api.AssertProblem(missing, 400, "country");
        Assert.Equal(before, await support.SnapshotAsync(account));
    }

    [Fact]
    public async Task Same_key_same_body_answers_200_with_the_first_body_and_charges_once_another_body_is_409()
    {
        var (support, client, account, list, _) = await AccountAsync("Retrying", 1_000);
        using var _s = support; using var _c = client;
        var body = Api.Consumption(list, 100, "retry-me", reference: "r1");

        using var first = await client.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(body));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstText = await first.Content.ReadAsStringAsync();
        for (var i = 0; i < 3; i++)
        {
            using var again = await client.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(body));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
        }
        Assert.Equal(900, await client.TotalAsync(account));
        var before = await support.SnapshotAsync(account);

        foreach (var different in new[]
                 {
                     Api.Consumption(list, 101, "retry-me", reference: "r1"),
                     Api.Consumption(list, 100, "retry-me", reference: "r2"),
                     Api.Consumption(list, 100, "retry-me"),
                     Api.Consumption(list, 100, "retry-me", "Sms", "IT", "r1"),
                 })
        {
            var conflict = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", different, HttpStatusCode.Conflict);
            Api.AssertProblem(conflict, 409, "idempotencyKey", "idempotency_conflict");
        }
        Assert.Equal(before, await support.SnapshotAsync(account));

        // A rejected answer is replayed too.
        var rejected = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 5_000, "too-big"));
        var replay = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 5_000, "too-big"), HttpStatusCode.OK);
        Assert.Equal(rejected.ToJsonString(), replay.ToJsonString());
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_key_record_one_consumption()
    {
        var (support, client, account, list, _) = await AccountAsync("Racing", 1_000);
        using var _s = support; using var _c = client;
        var body = Api.Consumption(list, 7, "same-key-in-parallel");

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            using var response = await client.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(body));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(23, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Equal(993, await client.TotalAsync(account));
        Assert.Single((await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Consumptions_page_through_next_links_and_filter_by_local_dates()
    {
        var (support, client, account, list, _) = await AccountAsync("Paging", 10_000);
        using var _s = support; using var _c = client;
        var other = await client.CreateListAsync(account, "Other");
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
            ids.Add((long)(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(i % 2 == 0 ? list : other, 1, $"page-{i}")))["id"]!);

        var seen = new List<long>();
        var url = $"api/v1/accounts/{account}/consumptions?limit=3";
        var pages = 0;
        while (url is not null)
        {
            var page = await client.GetJsonAsync(url.TrimStart('/'));
            seen.AddRange(page["items"]!.AsArray().Select(n => (long)n!["id"]!));
            url = (string?)page["next"];
            if (url is not null) Assert.StartsWith("/api/v1/accounts/", url);
            pages++;
        }
        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);

        var onList = await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?listId={list}");
        Assert.Equal(4, onList["items"]!.AsArray().Count);
        Assert.Null(onList["next"]?.GetValue<string>());
        Assert.True(onList.AsObject().ContainsKey("next"));

        // 09:00Z on 10 Nov is 10 Nov in Rome; from/to are inclusive local dates.
        Assert.Equal(7, (await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?from=2026-11-10&to=2026-11-10"))["items"]!.AsArray().Count);
        Assert.Empty((await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?from=2026-11-11"))["items"]!.AsArray());
        Assert.Empty((await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?to=2026-11-09"))["items"]!.AsArray());

        Api.AssertProblem(await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?from=10/11/2026", HttpStatusCode.BadRequest), 400, "from");
        Api.AssertProblem(await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?from=2026-11-12&to=2026-11-11", HttpStatusCode.BadRequest), 400, "to");
        Api.AssertProblem(await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?status=Sent", HttpStatusCode.BadRequest), 400, "status");
        Api.AssertProblem(await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?limit=0", HttpStatusCode.BadRequest), 400, "limit");
        Api.AssertProblem(await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?listId=abc", HttpStatusCode.BadRequest), 400, "listId");
        await client.GetJsonAsync($"api/v1/accounts/{account}/consumptions?listId=999999", HttpStatusCode.NotFound);
    }
}
