using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace CreditPortal.Tests.Api;

/// <summary>
/// Durability: the server is SIGKILLed in the middle of a stream of consumptions and started again on the
/// same file. Every consumption that was answered 201 is still there (and its idempotency key still answers
/// the same), and the ledger check finds no difference.
/// </summary>
public sealed class CrashRecoveryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Every_acknowledged_consumption_survives_a_SIGKILL()
    {
        long account, list;
        string key;
        using (var support = fixture.Support())
        {
            account = await support.CreateAccountAsync("Crashy");
            key = await support.CreateKeyAsync(account);
            list = await support.CreateListAsync(account, "News");
            await support.GrantAsync(account, 100_000_000);
        }

        var acknowledged = new ConcurrentBag<(string Key, long Quantity, long Id)>();
        var senders = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            using var client = fixture.Client(key);
            for (var i = 0; ; i++)
            {
                var quantity = (c + i) % 5 + 1;
                var idempotencyKey = $"crash-{c}-{i}";
                try
                {
                    using var response = await client.PostAsync($"api/v1/accounts/{account}/consumptions",
                        Api.Json(Api.Consumption(list, quantity, idempotencyKey)));
                    if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"unexpected {(int)response.StatusCode}");
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    acknowledged.Add((idempotencyKey, quantity, (long)body["id"]!));
                }
                catch (HttpRequestException) { return; }   // the server is gone
                catch (TaskCanceledException) { return; }
            }
        })).ToList();

        // Let the stream run, then kill the process without any warning.
        var clock = Stopwatch.StartNew();
        while (acknowledged.Count < 300 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        await fixture.KillAndRestartAsync();
        await Task.WhenAll(senders);
        Assert.True(acknowledged.Count >= 300, $"only {acknowledged.Count} consumptions were acknowledged before the kill");

        // Straight on the file, before anything else writes: the ledger adds up.
        Assert.Empty(await fixture.LedgerCheckAsync());

        using var after = fixture.Client(key);
        var stored = new Dictionary<long, JsonNode>();
        string? url = $"api/v1/accounts/{account}/consumptions?limit=1000";
        while (url is not null)
        {
            var page = await after.GetJsonAsync(url.TrimStart('/'));
            foreach (var item in page["items"]!.AsArray()) stored[(long)item!["id"]!] = item;
            url = (string?)page["next"];
        }
        foreach (var (_, quantity, id) in acknowledged)
        {
            Assert.True(stored.TryGetValue(id, out var item), $"acknowledged consumption {id} is gone");
            Assert.Equal("Accepted", (string)item!["status"]!);
            Assert.Equal(quantity, (long)item["quantity"]!);
        }
        // Balance = grant - everything accepted (acknowledged, plus any that committed while their answer was lost).
        var accepted = stored.Values.Where(i => (string)i["status"]! == "Accepted").Sum(i => (long)i["credits"]!);
        Assert.Equal(100_000_000 - accepted, await after.TotalAsync(account));

        // A sender retrying after the crash gets the first answer back, not a second charge.
        foreach (var (idempotencyKey, quantity, id) in acknowledged.Take(50))
        {
            var replay = await after.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, quantity, idempotencyKey), HttpStatusCode.OK);
            Assert.Equal(id, (long)replay["id"]!);
        }
        Assert.Equal(100_000_000 - accepted, await after.TotalAsync(account));
    }
}
