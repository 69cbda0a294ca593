using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary><c>POST .../orders</c>, <c>.../charge-now/quote</c> and <c>.../charge-now</c>.</summary>
public sealed class OrderApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Paid_order_is_201_with_its_lot_and_adds_the_pack_a_declined_one_adds_nothing()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Buyer");
        using var client = app.As(await support.CreateKeyAsync(account));

        var paid = await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"buy-1"}""");
        Assert.Equal("Paid", (string)paid["status"]!);
        Assert.True((long)paid["orderId"]! > 0);
        var lotId = (long)paid["lotId"]!;
        Assert.Equal(18.00m, (decimal)paid["price"]!);
        Assert.Equal("18.00", paid["price"]!.ToJsonString());
        Assert.Equal("EUR", (string)paid["currency"]!);
        var wallet = await client.WalletAsync(account);
        Assert.Equal(10_000, (long)wallet["total"]!);
        Assert.Contains(wallet["lots"]!.AsArray(), l => (long)l!["id"]! == lotId && (string)l["kind"]! == "Purchased" && l["expiresAt"] is null);

        var declined = await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-5000","paymentToken":"tok_decline","idempotencyKey":"buy-2"}""");
        Assert.Equal("Declined", (string)declined["status"]!);
        Assert.False(declined.AsObject().ContainsKey("lotId"));
        Assert.Equal(10_000, await client.TotalAsync(account));

        // SMS packs expire (R3): the lot carries its expiry.
        var sms = await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"sms-1000","paymentToken":"tok_ok","idempotencyKey":"buy-3"}""");
        var smsLot = (await client.WalletAsync(account, "Sms"))["lots"]!.AsArray().Single(l => (long)l!["id"]! == (long)sms["lotId"]!)!;
        Assert.Equal("2028-11-09T23:00:00+00:00", (string)smsLot["expiresAt"]!);
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Order_retry_with_the_same_key_is_200_with_the_first_answer_and_buys_once()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Retry buyer");
        using var client = app.As(await support.CreateKeyAsync(account));
        const string body = """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"once"}""";

        using var first = await client.PostAsync($"api/v1/accounts/{account}/orders", Api.Json(body));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstText = await first.Content.ReadAsStringAsync();
        var retries = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var r = await client.PostAsync($"api/v1/accounts/{account}/orders", Api.Json(body));
            return (r.StatusCode, Text: await r.Content.ReadAsStringAsync());
        }));
        Assert.All(retries, r => Assert.Equal((HttpStatusCode.OK, firstText), r));
        Assert.Equal(5_000, await client.TotalAsync(account));

        var before = await support.SnapshotAsync(account);
        var conflict = await client.PostJsonAsync($"api/v1/accounts/{account}/orders",
            """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"once"}""", HttpStatusCode.Conflict);
        Api.AssertProblem(conflict, 409, code: "idempotency_conflict");
        await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-5000","paymentToken":"tok_decline","idempotencyKey":"once"}""",
            HttpStatusCode.Conflict);
        Assert.Equal(before, await support.SnapshotAsync(account));
    }

    [Fact]
    public async Task Charge_now_is_422_outside_Standard_and_quotes_then_buys_a_refill_on_Standard()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Refiller");
        using var client = app.As(await support.CreateKeyAsync(account));

        var unavailable = await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now/quote", """{"channel":"Email"}""", HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(unavailable, 422, code: "charge_now_unavailable");
        await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now", """{"channel":"Email","paymentToken":"tok_ok"}""", HttpStatusCode.UnprocessableEntity);

        // Standard, 1,000 subscribers: 30.00 and 12,000 credits a cycle; the cycle starts today (10 Nov, 30 days).
        await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan", """{"plan":"Standard","subscriberCount":1000,"paymentToken":"tok_ok","idempotencyKey":"plan-1"}""");
        var quote = await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now/quote", """{"channel":"Email"}""", HttpStatusCode.OK);
        Assert.Equal(30.00m, (decimal)quote["price"]!);
        Assert.Equal("EUR", (string)quote["currency"]!);
        Assert.Equal(30, (int)quote["daysLeft"]!);
        Assert.Equal(5, (int)quote["weeksLeft"]!);
        Assert.Equal(2_400, (long)quote["credits"]!);

        var before = await client.TotalAsync(account);
        var bought = await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now", """{"channel":"Email","paymentToken":"tok_ok","idempotencyKey":"refill-1"}""");
        Assert.Equal("Paid", (string)bought["status"]!);
        Assert.Equal(2_400, (long)bought["credits"]!);
        Assert.Equal(before + 2_400, await client.TotalAsync(account));
        var again = await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now", """{"channel":"Email","paymentToken":"tok_ok","idempotencyKey":"refill-1"}""",
            HttpStatusCode.OK);
        Assert.Equal(bought.ToJsonString(), again.ToJsonString());
        Assert.Equal(before + 2_400, await client.TotalAsync(account));
        var refill = (await client.WalletAsync(account))["lots"]!.AsArray().Single(l => (string)l!["kind"]! == "Refill")!;
        Assert.Equal((long)bought["lotId"]!, (long)refill["id"]!);
    }

    [Fact]
    public async Task Catalog_lists_every_pack_with_price_currency_and_validity()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Browser");
        using var client = app.As(await support.CreateKeyAsync(account));
        var catalog = (await client.GetJsonAsync("api/v1/catalog")).AsArray();
        Assert.Equal(7, catalog.Count);
        var email = catalog.Single(p => (string)p!["id"]! == "email-50000")!;
        Assert.Equal("""{"id":"email-50000","channel":"Email","credits":50000,"price":75.00,"currency":"EUR","validityMonths":null}""", email.ToJsonString());
        var sms = catalog.Single(p => (string)p!["id"]! == "sms-5000")!;
        Assert.Equal(24, (int)sms["validityMonths"]!);
        Assert.Equal("Sms", (string)sms["channel"]!);
    }
}
