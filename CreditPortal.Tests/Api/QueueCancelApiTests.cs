using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>R9: <c>DELETE .../consumptions/{id}</c> cancels a queued send; the sends behind it may go.</summary>
public sealed class QueueCancelApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Cancelling_a_queued_send_records_it_cancelled_releases_the_one_behind_and_nothing_else_can_be_cancelled()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Holding");
        var other = await support.CreateAccountAsync("Other holder");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");
        await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":true}""");
        await support.GrantAsync(account, 100);

        var big = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 150, "big"));
        var small = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 50, "small"));
        Assert.Equal(("Queued", "Queued"), ((string)big["status"]!, (string)small["status"]!)); // the small one waits behind the big one (R9 order)

        var cancelled = await client.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{account}/consumptions/{(long)big["id"]!}", null, HttpStatusCode.OK);
        Assert.Equal(("Rejected", "cancelled"), ((string)cancelled["status"]!, (string)cancelled["reason"]!));

        var items = await client.GetItemsAsync($"api/v1/accounts/{account}/consumptions");
        Assert.Equal(["Rejected", "Accepted"], items.Select(i => (string)i!["status"]!));
        Assert.Equal(50, await client.TotalAsync(account));
        Assert.Equal(0, (int)(await client.WalletAsync(account))["queued"]!);

        var again = await client.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{account}/consumptions/{(long)big["id"]!}", null,
            HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(again, 422, code: "not_queued");
        await client.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{account}/consumptions/{(long)small["id"]!}", null, HttpStatusCode.UnprocessableEntity);
        await client.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{account}/consumptions/987654", null, HttpStatusCode.NotFound);
        await support.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{other}/consumptions/{(long)small["id"]!}", null, HttpStatusCode.NotFound);
        Assert.Contains(await support.GetItemsAsync($"api/v1/accounts/{account}/audit"), a => (string)a!["after"]! == "cancelled");
        Assert.Empty(await app.LedgerCheckAsync());
    }
}
