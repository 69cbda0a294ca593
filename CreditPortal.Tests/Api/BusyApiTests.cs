using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace CreditPortal.Tests.Api;

/// <summary>The app with a writer queue of 2 commands, to overload it on purpose.</summary>
public sealed class TinyQueueApiTestApp : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ledger:QueueLimit", "2");
        builder.UseSetting("Ledger:BusyRetryAfter", "00:00:03");
    }
}

/// <summary>Issue 13.2 over HTTP: an overloaded writer answers 503 problem+json with Retry-After, never a 500, and
/// what it refused was not recorded: retried with the same key, it goes through once.</summary>
public sealed class BusyApiTests(TinyQueueApiTestApp app) : IClassFixture<TinyQueueApiTestApp>
{
    [Fact]
    public async Task An_overloaded_writer_answers_503_with_Retry_After_and_records_nothing_it_refused()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Busy Co");
        await support.GrantAsync(account, 100_000);
        var list = await support.CreateListAsync(account, "News");
        using var sender = app.As(await support.CreateKeyAsync(account));
        var before = await support.TotalAsync(account);

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            using var response = await sender.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(Api.Consumption(list, 1, $"busy-{i}")));
            return (Index: i, response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType,
                Body: await response.Content.ReadAsStringAsync());
        })));

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, a =>
        {
            Assert.Equal(TimeSpan.FromSeconds(3), a.RetryAfter);
            Assert.Equal("application/problem+json", a.MediaType);
            Api.AssertProblem(JsonNode.Parse(a.Body)!, 503, code: "busy");
        });
        var created = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(before - created, await support.TotalAsync(account));

        // The refused request, sent again with its key once the load is gone, is recorded once.
        var again = await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 1, $"busy-{busy[0].Index}"));
        Assert.Equal("Accepted", (string?)again["status"]);
        Assert.Equal(before - created - 1, await support.TotalAsync(account));
        Assert.Empty(await app.LedgerCheckAsync());
    }
}
