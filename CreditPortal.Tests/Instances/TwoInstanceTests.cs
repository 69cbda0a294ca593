using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using ApiCalls = CreditPortal.Tests.Api.Api;

namespace CreditPortal.Tests.Instances;

/// <summary>
/// Issue #16: two app instances (two real processes, each its own Kestrel, ledger writer and scheduler) on one real
/// PostgreSQL database, with clients spread over both. No overspend by construction: each writer locks an account's
/// row before a batch touches it and trusts its cached copy only while the account's version has not moved.
/// </summary>
public sealed class TwoInstanceTests : IAsyncLifetime
{
    private const int Clients = 16;

    private readonly TempDatabase _database = new("instances", DatabaseProvider.PostgreSQL);
    private PortalServer _first = default!;
    private PortalServer _second = default!;

    public async Task InitializeAsync()
    {
        // One after the other: the first applies the migrations, the second finds them applied.
        _first = await PortalServer.StartAsync(_database.ConnectionString, ServerFixture.Settings(_database));
        _second = await PortalServer.StartAsync(_database.ConnectionString, ServerFixture.Settings(_database));
    }

    private static HttpClient Client(PortalServer server, string key)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private PortalServer Instance(int client) => client % 2 == 0 ? _first : _second;

    [Fact]
    public async Task Sixteen_clients_over_two_instances_spend_exactly_what_there_is_and_the_ledger_check_finds_nothing()
    {
        const long limit = 1_000;
        const int sendsPerClient = 150;
        using var support = Client(_first, ApiTestApp.SupportKey);
        var accounts = new List<(long Id, long List, string Key)>();
        // The first account runs out of credits; the second has credits enough but its list a monthly cap (R6). The cap
        // is counted only in the writers' memory (the database has no constraint for it): two writers that trusted a
        // stale copy would each let 1,000 through.
        foreach (var (name, credits, capped) in new[] { ("Out Of Credits", limit, false), ("Capped List", 100 * limit, true) })
        {
            var id = await support.CreateAccountAsync(name);
            await support.GrantAsync(id, credits);
            var key = await support.CreateKeyAsync(id);
            var list = await support.CreateListAsync(id, "News");
            using var owner = Client(_second, key);
            if (capped)
                await owner.PutJsonAsync($"api/v1/accounts/{id}/lists/{list}/cap", $$"""{"channel":"Email","enabled":true,"perMonth":{{limit}}}""");
            accounts.Add((id, list, key));
        }

        // Each account is sent to by 8 clients, 4 on each instance: 1,200 one-credit sends against a limit of 1,000.
        var answers = new ConcurrentBag<(int Account, string Key, HttpStatusCode Status, long Id, string Outcome)>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var a = c / 2 % 2;
            var (id, list, key) = accounts[a];
            using var client = Client(Instance(c), key);
            for (var i = 0; i < sendsPerClient; i++)
            {
                var idempotencyKey = $"send-{c}-{i}";
                using var response = await client.PostAsync($"api/v1/accounts/{id}/consumptions", ApiCalls.Json(ApiCalls.Consumption(list, 1, idempotencyKey)));
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                answers.Add((a, idempotencyKey, response.StatusCode, (long?)body["id"] ?? 0, (string?)body["status"] ?? (string?)body["code"] ?? "?"));
            }
        })));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.Status));
        for (var a = 0; a < accounts.Count; a++)
        {
            var mine = answers.Where(x => x.Account == a).ToList();
            Assert.Equal(limit, mine.Count(x => x.Outcome == "Accepted"));
            Assert.Equal(Clients / 2 * sendsPerClient - limit, mine.Count(x => x.Outcome != "Accepted"));
            Assert.Equal(mine.Count, mine.Select(x => x.Id).Distinct().Count());
            // Both instances answer the same balance: every credit spent once, none twice.
            var expected = a == 0 ? 0 : 99 * limit;
            Assert.Equal(expected, await Client(_first, ApiTestApp.SupportKey).TotalAsync(accounts[a].Id));
            Assert.Equal(expected, await Client(_second, ApiTestApp.SupportKey).TotalAsync(accounts[a].Id));
        }

        // A retry sent to the other instance gets the first answer, and nothing is spent again.
        foreach (var (a, key, _, id, outcome) in answers.Take(40))
        {
            var (account, list, apiKey) = accounts[a];
            var other = answers.Single(x => x.Key == key).Key.Split('-')[1] is var c && int.Parse(c) % 2 == 0 ? _second : _first;
            using var client = Client(other, apiKey);
            var replay = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", ApiCalls.Consumption(list, 1, key), HttpStatusCode.OK);
            Assert.Equal(id, (long)replay["id"]!);
            Assert.Equal(outcome, (string)replay["status"]!);
        }
        Assert.Empty(await new LedgerCheck(_database.Portal).RunAsync());
    }

    [Fact]
    public async Task Killing_one_instance_mid_load_loses_nothing_acknowledged_and_its_scheduled_work_runs_on_the_other()
    {
        using var support = Client(_first, ApiTestApp.SupportKey);
        var account = await support.CreateAccountAsync("Survivor");
        var list = await support.CreateListAsync(account, "News");
        var key = await support.CreateKeyAsync(account);
        await support.GrantAsync(account, 100_000_000);
        // Due tomorrow: the expiry of these SMS credits is scheduled work, for whichever instance gets to it.
        await support.GrantAsync(account, 500, "Sms", ApiTestApp.Start.AddDays(1).ToString("O"));

        var acknowledged = new ConcurrentBag<(string Key, long Quantity, long Id)>();
        var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = Client(Instance(c), key);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var quantity = (c + i) % 5 + 1;
                var idempotencyKey = $"kill-{c}-{i}";
                try
                {
                    using var response = await client.PostAsync($"api/v1/accounts/{account}/consumptions", ApiCalls.Json(ApiCalls.Consumption(list, quantity, idempotencyKey)));
                    if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"unexpected {(int)response.StatusCode}");
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    acknowledged.Add((idempotencyKey, quantity, (long)body["id"]!));
                }
                catch (HttpRequestException) { return; } // its instance is gone
                catch (TaskCanceledException) { return; }
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        while (acknowledged.Count < 400 && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(20);
        _first.Kill();
        // The other instance goes on serving its clients.
        var atKill = acknowledged.Count;
        while (acknowledged.Count < atKill + 200 && clock.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(20);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        Assert.True(acknowledged.Count >= atKill + 200, $"the surviving instance acknowledged only {acknowledged.Count - atKill} after the kill");

        Assert.Empty(await new LedgerCheck(_database.Portal).RunAsync());
        using var survivor = Client(_second, key);
        var stored = (await survivor.GetItemsAsync($"api/v1/accounts/{account}/consumptions?limit=1000")).ToDictionary(i => (long)i!["id"]!);
        foreach (var (_, quantity, id) in acknowledged)
        {
            Assert.True(stored.TryGetValue(id, out var item), $"acknowledged consumption {id} is gone");
            Assert.Equal("Accepted", (string)item!["status"]!);
            Assert.Equal(quantity, (long)item["quantity"]!);
        }
        var accepted = stored.Values.Where(i => (string)i!["status"]! == "Accepted").Sum(i => (long)i!["credits"]!);
        Assert.Equal(100_000_000 - accepted, await survivor.TotalAsync(account));

        // The killed instance's share of the scheduled work: the surviving one runs the expiry when it comes due.
        using var survivingSupport = Client(_second, ApiTestApp.SupportKey);
        Assert.Equal(500, await survivingSupport.TotalAsync(account, "Sms"));
        await survivingSupport.PutJsonAsync("api/v1/clock", $$"""{"now":"{{ApiTestApp.Start.AddDays(2):O}}"}""");
        Assert.Equal(0, await survivingSupport.TotalAsync(account, "Sms"));
        Assert.Empty(await new LedgerCheck(_database.Portal).RunAsync());
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _database.Dispose();
    }
}
