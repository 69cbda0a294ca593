using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>Issue #17 over HTTP: an account key's monthly credit cap, set at creation and changed later (at once, past the
/// key cache), refuses sends past it with <c>key_cap</c>, in the consumption and in its dry run alike.</summary>
public sealed class ApiKeyCapApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task A_capped_key_s_sends_past_the_cap_are_rejected_key_cap_and_a_new_cap_applies_at_once()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Capped key", ""","productTypes":["Ticketing"]""");
        var list = await support.CreateListAsync(account, "News");
        var created = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"automation","monthlyCreditCap":500}""");
        Assert.Equal(500, (long)created["monthlyCreditCap"]!);
        var keyId = (long)created["id"]!;
        using var sender = app.As((string)created["key"]!);

        Assert.Equal("Accepted", (string)(await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 400, "s1")))["status"]!);
        var preview = await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions/preview", Api.Consumption(list, 101, "p1"), HttpStatusCode.OK);
        Assert.Equal(("Rejected", "key_cap"), ((string)preview["status"]!, (string)preview["reason"]!));
        var refused = await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 101, "s2"));
        Assert.Equal(("Rejected", "key_cap"), ((string)refused["status"]!, (string)refused["reason"]!));
        Assert.Equal(2_100, await support.TotalAsync(account));

        var listed = (await support.GetJsonAsync($"api/v1/accounts/{account}/api-keys")).AsArray().Single()!;
        Assert.Equal((500L, 400L), ((long)listed["monthlyCreditCap"]!, (long)listed["creditsThisMonth"]!));

        var raised = await support.PutJsonAsync($"api/v1/accounts/{account}/api-keys/{keyId}/monthly-credit-cap", """{"monthlyCreditCap":1000}""");
        Assert.Equal(1_000, (long)raised["monthlyCreditCap"]!);
        Assert.Equal("Accepted", (string)(await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 101, "s3")))["status"]!);

        var removed = await support.PutJsonAsync($"api/v1/accounts/{account}/api-keys/{keyId}/monthly-credit-cap", """{"monthlyCreditCap":null}""");
        Assert.Null(removed["monthlyCreditCap"]);
        Assert.Equal("Accepted", (string)(await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 1_000, "s4")))["status"]!);
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task A_negative_cap_is_400_naming_the_field_and_another_account_s_key_is_404()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Bad cap");
        var other = await support.CreateAccountAsync("Other");
        var bad = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"x","monthlyCreditCap":-1}""", HttpStatusCode.BadRequest);
        Api.AssertProblem(bad, 400, field: "monthlyCreditCap");
        Assert.Empty((await support.GetJsonAsync($"api/v1/accounts/{account}/api-keys")).AsArray());

        var key = await support.PostJsonAsync($"api/v1/accounts/{account}/api-keys", """{"name":"x"}""");
        var id = (long)key["id"]!;
        Api.AssertProblem(await support.SendJsonAsync(HttpMethod.Put, $"api/v1/accounts/{account}/api-keys/{id}/monthly-credit-cap",
            """{"monthlyCreditCap":-5}""", HttpStatusCode.BadRequest), 400, field: "monthlyCreditCap");
        await support.SendJsonAsync(HttpMethod.Put, $"api/v1/accounts/{other}/api-keys/{id}/monthly-credit-cap", """{"monthlyCreditCap":5}""",
            HttpStatusCode.NotFound);
        Assert.Null((await support.GetJsonAsync($"api/v1/accounts/{account}/api-keys")).AsArray().Single()!["monthlyCreditCap"]);
    }
}
