using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary><c>GET .../ledger</c>, <c>.../alerts</c>, <c>.../audit</c>: paged <c>{items, next}</c> like consumptions.</summary>
public sealed class HistoryApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Ledger_pages_follow_next_links_that_keep_the_filters()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Ledger pages");
        var list = await support.CreateListAsync(account, "News");
        await support.GrantAsync(account, 1_000);
        await support.GrantAsync(account, 50, "Sms");
        for (var i = 0; i < 6; i++)
            await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, i + 1, $"ledger-page-{i}"));

        var first = await support.GetJsonAsync($"api/v1/accounts/{account}/ledger?channel=Email&limit=3");
        var next = (string)first["next"]!;
        Assert.StartsWith($"/api/v1/accounts/{account}/ledger?", next);
        Assert.Contains("channel=Email", next);
        Assert.Contains("limit=3", next);
        Assert.Equal(3, first["items"]!.AsArray().Count);

        var all = await support.GetItemsAsync($"api/v1/accounts/{account}/ledger?channel=Email&limit=3");
        Assert.Equal(7, all.Count); // the grant and six sends; the SMS grant is filtered out on every page
        Assert.Equal(new long[] { 1_000, -1, -2, -3, -4, -5, -6 }, all.Select(e => (long)e!["quantity"]!));
        Assert.Equal(all.Select(e => (long)e!["id"]!).Order(), all.Select(e => (long)e!["id"]!));

        var last = await support.GetJsonAsync($"api/v1/accounts/{account}/ledger?channel=Email&limit=7");
        Assert.Null(last["next"]?.GetValue<string>());
        Assert.True(last.AsObject().ContainsKey("next"));
    }

    [Fact]
    public async Task Audit_and_alerts_are_paged_newest_first()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Audit pages");
        var list = await support.CreateListAsync(account, "News");
        for (var cap = 1; cap <= 5; cap++)
            await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{list}/cap", $$"""{"channel":"Email","enabled":true,"perMonth":{{cap}},"reason":"r{{cap}}"}""");

        var page = await support.GetJsonAsync($"api/v1/accounts/{account}/audit?limit=2");
        Assert.Equal(["r5", "r4"], page["items"]!.AsArray().Select(a => (string)a!["reason"]!));
        var audit = await support.GetItemsAsync($"api/v1/accounts/{account}/audit?limit=2");
        Assert.Equal(["r5", "r4", "r3", "r2", "r1"], audit.Take(5).Select(a => (string?)a!["reason"]));
        Assert.Equal("account.created", (string)audit.Last()!["action"]!);

        var alerts = await support.GetJsonAsync($"api/v1/accounts/{account}/alerts");
        Assert.Empty(alerts["items"]!.AsArray());
        Assert.Null(alerts["next"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("ledger?after=12", "after")]
    [InlineData("ledger?after=abc.1", "after")]
    [InlineData("alerts?after=-1.2", "after")]
    [InlineData("audit?after=1.2.3", "after")]
    [InlineData("ledger?limit=0", "limit")]
    [InlineData("alerts?limit=1001", "limit")]
    [InlineData("audit?limit=x", "limit")]
    public async Task A_bad_cursor_or_limit_is_a_400_naming_it(string path, string field)
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Bad paging " + field);
        var problem = await support.GetJsonAsync($"api/v1/accounts/{account}/{path}", HttpStatusCode.BadRequest);
        Api.AssertProblem(problem, 400, field);
    }
}
