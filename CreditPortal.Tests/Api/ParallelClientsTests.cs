using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CreditPortal.Tests.Api;

/// <summary>
/// Many sending systems at once on one wallet, over real Kestrel: the balance ends exactly where the
/// answers say, a retried key records one consumption, and the ledger check finds no difference.
/// </summary>
public sealed class ParallelClientsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Clients = 16;

    private static async Task<List<(HttpStatusCode Status, JsonNode Body, long Quantity)>> SendAllAsync(IEnumerable<HttpClient> clients, long account,
        Func<int, int, (long List, long Quantity, string Key)> request, int perClient)
    {
        var results = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            var mine = new List<(HttpStatusCode, JsonNode, long)>();
            for (var i = 0; i < perClient; i++)
            {
                var (list, quantity, key) = request(c, i);
                using var response = await client.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(Api.Consumption(list, quantity, key)));
                mine.Add((response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, quantity));
            }
            return mine;
        })));
        return results.SelectMany(r => r).ToList();
    }

    [Fact]
    public async Task Sixteen_parallel_clients_end_exactly_at_the_expected_balance()
    {
        using var support = fixture.Support();
        var account = await support.CreateAccountAsync("Busy wallet");
        var key = await support.CreateKeyAsync(account);
        var shared = await support.CreateListAsync(account, "Shared list");
        var assigned = await support.CreateListAsync(account, "Assigned list");
        await support.GrantAsync(account, 60_000);
        await support.GrantAsync(account, 40_000, expiresAt: "2027-06-01T00:00:00Z");
        await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{assigned}/allocation",
            """{"channel":"Email","mode":"Assigned","assigned":20000,"reason":"load test"}""");
        var clients = Enumerable.Range(0, Clients).Select(_ => fixture.Client(key)).ToList();
        try
        {
            // Phase 1: everything fits; varied sizes on both lists.
            var fits = await SendAllAsync(clients, account, (c, i) => (i % 3 == 0 ? assigned : shared, (c * 7 + i) % 9 + 1, $"fit-{c}-{i}"), 40);
            Assert.All(fits, r => Assert.Equal(HttpStatusCode.Created, r.Status));
            Assert.All(fits, r => Assert.Equal("Accepted", (string)r.Body["status"]!));
            var spent = fits.Sum(r => r.Quantity);
            Assert.Equal(100_000 - spent, await support.TotalAsync(account));

            // Phase 2: bring the shared pool to exactly 500 and overdraw it 16 × 50 times by 1: exactly 500 pass.
            var wallet = await support.WalletAsync(account);
            var unassigned = (long)wallet["unassigned"]!;
            using (var client = fixture.Client(key))
                await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(shared, unassigned - 500, "drain"));
            var overdraw = await SendAllAsync(clients, account, (c, i) => (shared, 1, $"over-{c}-{i}"), 50);
            Assert.All(overdraw, r => Assert.Equal(HttpStatusCode.Created, r.Status));
            Assert.Equal(500, overdraw.Count(r => (string)r.Body["status"]! == "Accepted"));
            Assert.Equal(300, overdraw.Count(r => (string)r.Body["reason"]?.GetValue<string>() == "insufficient_credits"));

            wallet = await support.WalletAsync(account);
            Assert.Equal(0, (long)wallet["unassigned"]!);
            Assert.Equal((long)wallet["total"]!, wallet["lists"]!.AsArray().Sum(l => (long)l!["assigned"]!));
            Assert.Empty(await fixture.LedgerCheckAsync());
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public async Task The_same_key_from_sixteen_clients_at_once_records_one_consumption()
    {
        using var support = fixture.Support();
        var account = await support.CreateAccountAsync("Retry storm");
        var key = await support.CreateKeyAsync(account);
        var list = await support.CreateListAsync(account, "News");
        await support.GrantAsync(account, 1_000);
        var clients = Enumerable.Range(0, Clients).Select(_ => fixture.Client(key)).ToList();
        try
        {
            var body = Api.Consumption(list, 250, "storm", reference: "one send");
            var answers = await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 3).Select(async _ =>
            {
                using var response = await c.PostAsync($"api/v1/accounts/{account}/consumptions", Api.Json(body));
                return (response.StatusCode, Text: await response.Content.ReadAsStringAsync());
            })));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
            Assert.Equal(Clients * 3 - 1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
            Assert.Single(answers.Select(a => a.Text).Distinct());
            Assert.Equal(750, await support.TotalAsync(account));
            Assert.Single((await support.GetJsonAsync($"api/v1/accounts/{account}/consumptions"))["items"]!.AsArray());
            Assert.Empty(await fixture.LedgerCheckAsync());
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public async Task Kestrel_takes_a_body_of_64_KiB_and_answers_413_one_byte_beyond_also_chunked()
    {
        using var support = fixture.Support();
        var account = await support.CreateAccountAsync("Big bodies");
        var list = await support.CreateListAsync(account, "News");
        await support.GrantAsync(account, 100);
        using var client = fixture.Client(await support.CreateKeyAsync(account));

        static byte[] Padded(string json, int size) => Encoding.UTF8.GetBytes(json[..^1] + new string(' ', size - Encoding.UTF8.GetByteCount(json)) + "}");
        foreach (var chunked in new[] { false, true })
        {
            var fits = Padded(Api.Consumption(list, 1, $"fits-{chunked}"), 64 * 1024);
            var tooBig = Padded(Api.Consumption(list, 1, $"too-big-{chunked}"), 64 * 1024 + 1);
            Assert.Equal(HttpStatusCode.Created, await PostBytesAsync(client, account, fits, chunked));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostBytesAsync(client, account, tooBig, chunked));
            var huge = Padded(Api.Consumption(list, 1, $"huge-{chunked}"), 4 * 1024 * 1024);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostBytesAsync(client, account, huge, chunked));
        }
        Assert.Equal(98, await support.TotalAsync(account));
        Assert.Equal(2, (await support.GetJsonAsync($"api/v1/accounts/{account}/consumptions"))["items"]!.AsArray().Count);
    }

    private static async Task<HttpStatusCode> PostBytesAsync(HttpClient client, long account, byte[] body, bool chunked)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/accounts/{account}/consumptions")
        {
            Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked) request.Headers.TransferEncodingChunked = true;
        try
        {
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return response.StatusCode;
        }
        catch (HttpRequestException) when (body.Length > 1024 * 1024)
        {
            // Kestrel may close the connection while a multi-megabyte upload is still being sent; that is a refusal too.
            return HttpStatusCode.RequestEntityTooLarge;
        }
    }
}
