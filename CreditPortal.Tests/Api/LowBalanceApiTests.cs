using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace CreditPortal.Tests.Api;

/// <summary>R9 "running low" at send time: <c>warning: "low_balance"</c>, <c>remaining</c> and <c>refillUrl</c> in the
/// consumption's answer (and the dry run's <c>lowBalance</c>) at or below 15% of the last purchase or cycle grant.</summary>
public sealed class LowBalanceApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task A_send_that_leaves_exactly_15_percent_of_the_last_purchase_carries_the_warning_the_remaining_and_the_refill_page()
    {
        var (client, account, list) = await BuyerAsync("Fifteen");

        var preview = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview", Api.Consumption(list, 8_500, "p"),
            System.Net.HttpStatusCode.OK);
        Assert.Equal("low_balance", (string)preview["lowBalance"]!["warning"]!);
        Assert.Equal(1_500, (long)preview["lowBalance"]!["remaining"]!);

        var sent = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 8_500, "s1"));
        Assert.Equal("Accepted", (string)sent["status"]!);
        Assert.Equal("low_balance", (string)sent["warning"]!);
        Assert.Equal(1_500, (long)sent["remaining"]!);
        Assert.Equal($"http://localhost/accounts/{account}/get-sendings?channel=Email", (string)sent["refillUrl"]!);
        Assert.Equal((string)sent["refillUrl"]!, (string)preview["lowBalance"]!["refillUrl"]!);

        // Every later send while low says so again (unlike R10's alert, which fires once per threshold).
        var next = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 100, "s2"));
        Assert.Equal(1_400, (long)next["remaining"]!);
        // A refused send on a low wallet points at the refill page too.
        var refused = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 5_000, "s3"));
        Assert.Equal(("Rejected", "insufficient_credits", 1_400L), ((string)refused["status"]!, (string)refused["reason"]!, (long)refused["remaining"]!));
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Just_above_15_percent_there_is_no_warning_in_the_send_or_the_dry_run()
    {
        var (client, account, list) = await BuyerAsync("Above");

        var preview = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview", Api.Consumption(list, 8_499, "p"),
            System.Net.HttpStatusCode.OK);
        Assert.Null(preview["lowBalance"]);
        var sent = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 8_499, "s1"));
        AssertNoWarning(sent);
        Assert.Equal(1_501, await client.TotalAsync(account));
    }

    [Fact]
    public async Task Without_a_purchase_or_a_plan_grant_there_is_nothing_to_measure_against_and_no_warning()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Never bought");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");
        await support.GrantAsync(account, 1_000); // a support adjustment is neither a purchase nor a cycle grant

        var sent = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 999, "s1"));
        AssertNoWarning(sent);
        var empty = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 1, "s2"));
        AssertNoWarning(empty);
        Assert.Equal(0, await client.TotalAsync(account));
    }

    [Fact]
    public async Task A_plan_cycle_grant_after_a_purchase_is_the_new_base()
    {
        var (client, account, list) = await BuyerAsync("Planner");
        // Standard, 1,000 subscribers: 12,000 credits this cycle, granted after the 10,000 bought: 22,000 in all.
        await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan",
            """{"plan":"Standard","subscriberCount":1000,"paymentToken":"tok_ok","idempotencyKey":"plan-1"}""");

        var above = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 20_199, "s1"));
        AssertNoWarning(above); // 1,801 left: above 15% of the 12,000 granted last
        var at = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 1, "s2"));
        Assert.Equal(("low_balance", 1_800L), ((string)at["warning"]!, (long)at["remaining"]!));
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task A_retry_with_the_same_key_answers_the_first_status_with_the_warning_of_the_wallet_now()
    {
        var (client, account, list) = await BuyerAsync("Retrier");
        var first = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 9_000, "s1"));
        var again = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 9_000, "s1"), System.Net.HttpStatusCode.OK);
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(1_000, await client.TotalAsync(account));
    }

    private async Task<(HttpClient Client, long Account, long List)> BuyerAsync(string name)
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync(name);
        var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");
        await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"buy-1"}""");
        return (client, account, list);
    }

    private static void AssertNoWarning(JsonNode answer)
    {
        var fields = answer.AsObject();
        Assert.False(fields.ContainsKey("warning") || fields.ContainsKey("remaining") || fields.ContainsKey("refillUrl"), answer.ToJsonString());
    }
}

/// <summary>With <c>Portal:BaseUrl</c> configured, the refill page is on that address, not the request's host.</summary>
public sealed class ConfiguredBaseUrlApp : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:BaseUrl", "https://credits.example.test/portal/");
    }
}

public sealed class LowBalanceRefillUrlTests(ConfiguredBaseUrlApp app) : IClassFixture<ConfiguredBaseUrlApp>
{
    [Fact]
    public async Task The_refill_url_uses_the_configured_portal_address_and_the_channel_of_the_send()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Behind a proxy");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "Alerts");
        await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"sms-1000","paymentToken":"tok_ok","idempotencyKey":"buy-1"}""");

        var sent = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 900, "s1", channel: "Sms", country: "IT"));
        Assert.Equal(100, (long)sent["remaining"]!);
        Assert.Equal($"https://credits.example.test/portal/accounts/{account}/get-sendings?channel=Sms", (string)sent["refillUrl"]!);
    }
}
