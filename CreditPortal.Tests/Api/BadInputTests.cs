using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CreditPortal.Tests.Api;

/// <summary>
/// Bad input answers 4xx (never 500) as problem+json naming the field, and changes nothing: the account's
/// wallets, consumptions, ledger, audit and settings are the same afterwards.
/// </summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    /// <summary>One account with credits, a list and an account key, shared by every case.</summary>
    public sealed class Fixture : ApiTestApp, IAsyncLifetime
    {
        public long Account { get; private set; }
        public long List { get; private set; }
        public string Key { get; private set; } = "";

        public async Task InitializeAsync()
        {
            using var support = Support();
            Account = await support.CreateAccountAsync("Careful Co");
            List = await support.CreateListAsync(Account, "News");
            await support.GrantAsync(Account, 10_000);
            await support.GrantAsync(Account, 100, "Sms");
            Key = await support.CreateKeyAsync(Account);
            using var client = As(Key);
            // One real consumption so "unchanged" is about a non-empty history.
            await client.PostJsonAsync($"api/v1/accounts/{Account}/consumptions", Api.Consumption(List, 10, "first"));
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<string, string> BadConsumptions => new()
    {
        { """{"channel":"Email","listId":{list},"quantity":0,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":-5,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":1000000001,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":9223372036854775807,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":9223372036854775808,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":123456789012345678901234567890,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":1.5,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":1.0,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":1e3,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":"5","idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":true,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":null,"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Email","listId":{list},"quantity":[5],"idempotencyKey":"b1"}""", "quantity" },
        { """{"channel":"Fax","listId":{list},"quantity":5,"idempotencyKey":"b1"}""", "channel" },
        { """{"channel":0,"listId":{list},"quantity":5,"idempotencyKey":"b1"}""", "channel" },
        { """{"channel":"0","listId":{list},"quantity":5,"idempotencyKey":"b1"}""", "channel" },
        { """{"channel":"Email,Sms","listId":{list},"quantity":5,"idempotencyKey":"b1"}""", "channel" },
        { """{"listId":{list},"quantity":5,"idempotencyKey":"b1"}""", "channel" },
        { """{"channel":"Email","listId":"{list}","quantity":5,"idempotencyKey":"b1"}""", "listId" },
        { """{"channel":"Email","listId":1.5,"quantity":5,"idempotencyKey":"b1"}""", "listId" },
        { """{"channel":"Email","quantity":5,"idempotencyKey":"b1"}""", "listId" },
        { """{"channel":"Email","listId":{list},"quantity":5}""", "idempotencyKey" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":""}""", "idempotencyKey" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":"{key101}"}""", "idempotencyKey" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":7}""", "idempotencyKey" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":"b1","reference":"{ref201}"}""", "reference" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":"b1","reference":{"a":1}}""", "reference" },
        { """{"channel":"Sms","listId":{list},"quantity":5,"idempotencyKey":"b1"}""", "country" },
        { """{"channel":"Sms","listId":{list},"quantity":5,"idempotencyKey":"b1","country":"ZZ"}""", "country" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":"b1""", "body" },
        { """{"channel":"Email","listId":{list},"quantity":5,"idempotencyKey":"b1"} trailing""", "body" },
        { """{"channel":"Email",,"listId":{list}}""", "body" },
        { """{'channel':'Email'}""", "body" },
        { """[]""", "body" },
        { "\"a string\"", "body" },
        { """null""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadConsumptions))]
    public async Task Bad_consumption_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        body = body.Replace("{list}", fixture.List.ToString()).Replace("{key101}", new string('k', 101)).Replace("{ref201}", new string('r', 201));
        using var support = fixture.Support();
        using var client = fixture.As(fixture.Key);
        var before = await support.SnapshotAsync(fixture.Account);

        var problem = await client.PostJsonAsync($"api/v1/accounts/{fixture.Account}/consumptions", body, HttpStatusCode.BadRequest);
        Api.AssertProblem(problem, 400, field);
        Assert.DoesNotContain("System.", (string)problem["detail"]!);
        Assert.Equal(before, await support.SnapshotAsync(fixture.Account));
    }

    [Fact]
    public async Task Limits_themselves_are_accepted_a_whole_billion_and_a_200_character_reference()
    {
        using var support = fixture.Support();
        var account = await support.CreateAccountAsync("Edge Co");
        var list = await support.CreateListAsync(account, "Edge");
        await support.GrantAsync(account, 1_000_000_000);
        using var client = fixture.As(await support.CreateKeyAsync(account));
        var answer = await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions",
            Api.Consumption(list, 1_000_000_000, new string('k', 100), reference: new string('r', 200)));
        Assert.Equal("Accepted", (string)answer["status"]!);
        Assert.Equal(0, await client.TotalAsync(account));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Body_over_64_KiB_is_413_and_changes_nothing(bool chunked)
    {
        using var support = fixture.Support();
        using var client = fixture.As(fixture.Key);
        var before = await support.SnapshotAsync(fixture.Account);
        var json = Api.Consumption(fixture.List, 5, "huge", reference: new string('r', 70_000));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/accounts/{fixture.Account}/consumptions")
        {
            Content = chunked
                ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) // no length: sent chunked
                : Api.Json(json),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked) request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Api.AssertProblem(JsonNode.Parse(await response.Content.ReadAsStringAsync())!, 413, code: "payload_too_large");
        Assert.Equal(before, await support.SnapshotAsync(fixture.Account));
    }

    public static TheoryData<string, string, string, int, string?> BadRequests => new()
    {
        // method, path (under the account), body, status, field
        { "POST", "orders", """{"packId":"email-5000","paymentToken":"tok_ok"}""", 400, "idempotencyKey" },
        { "POST", "orders", """{"packId":"email-5000","idempotencyKey":"o1"}""", 400, "paymentToken" },
        { "POST", "orders", """{"packId":"no-such-pack","paymentToken":"tok_ok","idempotencyKey":"o1"}""", 400, "packId" },
        { "POST", "orders", """{"packId":5000,"paymentToken":"tok_ok","idempotencyKey":"o1"}""", 400, "packId" },
        { "POST", "orders", """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"{key101}"}""", 400, "idempotencyKey" },
        { "POST", "charge-now/quote", """{"channel":"Post"}""", 400, "channel" },
        { "POST", "charge-now", """{"channel":"Email"}""", 400, "paymentToken" },
        { "POST", "lists", """{"name":""}""", 400, "name" },
        { "POST", "lists", """{"name":"{ref201}"}""", 400, "name" },
        { "POST", "lists", """{"name":["x"]}""", 400, "name" },
        { "PUT", "lists/{list}/allocation", """{"channel":"Email","mode":"Assigned"}""", 400, "assigned" },
        { "PUT", "lists/{list}/allocation", """{"channel":"Email","mode":"Assigned","assigned":-1}""", 400, "assigned" },
        { "PUT", "lists/{list}/allocation", """{"channel":"Email","mode":"Assigned","assigned":2.5}""", 400, "assigned" },
        { "PUT", "lists/{list}/allocation", """{"channel":"Email","mode":"Private","assigned":5}""", 400, "mode" },
        { "PUT", "lists/{list}/allocation", """{"channel":"Email","mode":"Shared","assigned":5}""", 400, "assigned" },
        { "PUT", "lists/{list}/cap", """{"channel":"Email","enabled":true}""", 400, "perMonth" },
        { "PUT", "lists/{list}/cap", """{"channel":"Email","enabled":"yes","perMonth":5}""", 400, "enabled" },
        { "PUT", "lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":-3}""", 400, "perMonth" },
        { "PUT", "settings", """{"billingContacts":["not an email"]}""", 400, "billingContacts" },
        { "PUT", "settings", """{"billingContacts":"a@b.it"}""", 400, "billingContacts" },
        { "PUT", "settings", """{"autoRenew":{"Fax":true}}""", 400, "autoRenew.Fax" },
        { "PUT", "settings", """{"autoRenew":{"Email":"on"}}""", 400, "autoRenew.Email" },
        { "PUT", "settings", """{"holdWhenOutOfCredits":1}""", 400, "holdWhenOutOfCredits" },
        { "PUT", "settings", """{"timeZone":"Mars/Olympus"}""", 400, "timeZone" },
        { "PUT", "wallets/Email/plan", """{"plan":"Gold"}""", 400, "plan" },
        { "PUT", "wallets/Email/plan", """{"plan":"Standard"}""", 400, "subscriberCount" },
        { "PUT", "wallets/Email/plan", """{"plan":"Standard","subscriberCount":0}""", 400, "subscriberCount" },
        { "PUT", "wallets/Email/plan", """{"plan":"Monthly","monthlyCredits":12345}""", 400, "monthlyCredits" },
        { "PUT", "wallets/Fax/plan", """{"plan":"Packs"}""", 404, null },
        { "GET", "wallets/Fax", "", 404, null },
        { "PUT", "lists/999999/allocation", """{"channel":"Email","mode":"Shared"}""", 404, null },
        { "PUT", "lists/999999/cap", """{"channel":"Email","enabled":false}""", 404, null },
        { "POST", "consumptions", """{"channel":"Email","listId":999999,"quantity":5,"idempotencyKey":"nolist"}""", 404, null },
        { "GET", "ledger?channel=Fax", "", 400, "channel" },
        { "GET", "ledger?from=yesterday", "", 400, "from" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_on_other_endpoints_are_4xx_naming_the_field_and_change_nothing(string method, string path, string body,
        int status, string? field)
    {
        body = body.Replace("{key101}", new string('k', 101)).Replace("{ref201}", new string('r', 201));
        path = path.Replace("{list}", fixture.List.ToString());
        using var support = fixture.Support();
        using var client = fixture.As(fixture.Key);
        var before = await support.SnapshotAsync(fixture.Account);

        var problem = await client.SendJsonAsync(new HttpMethod(method), $"api/v1/accounts/{fixture.Account}/{path}", method == "GET" ? null : body,
            (HttpStatusCode)status);
        Api.AssertProblem(problem, status, field);
        Assert.Equal(before, await support.SnapshotAsync(fixture.Account));
    }

    public static TheoryData<string, string, string?> BadSupportRequests => new()
    {
        { "adjustments", """{"channel":"Email","quantity":0,"reason":"r"}""", "quantity" },
        { "adjustments", """{"channel":"Email","quantity":1000000001,"reason":"r"}""", "quantity" },
        { "adjustments", """{"channel":"Email","quantity":2.5,"reason":"r"}""", "quantity" },
        { "adjustments", """{"channel":"Email","quantity":"10","reason":"r"}""", "quantity" },
        { "adjustments", """{"channel":"Email","quantity":10}""", "reason" },
        { "adjustments", """{"channel":"Email","quantity":10,"reason":"  "}""", "reason" },
        { "adjustments", """{"channel":"Email","quantity":10,"reason":"r","expiresAt":"2027-01-01T00:00:00"}""", "expiresAt" },
        { "adjustments", """{"channel":"Email","quantity":10,"reason":"r","expiresAt":"next week"}""", "expiresAt" },
        { "adjustments", """{"channel":"Email","quantity":10,"reason":"r","expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt" },
        { "adjustments", """{"quantity":10,"reason":"r"}""", "channel" },
        { "api-keys", """{"name":42}""", "name" },
        { "api-keys", """{"name":"{ref201}"}""", "name" },
        // Support must say why it changes an allocation or a cap (R11).
        { "lists/{list}/allocation", """{"channel":"Email","mode":"Assigned","assigned":5}""", "reason" },
        { "lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":5}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadSupportRequests))]
    public async Task Bad_support_requests_are_400_naming_the_field_and_change_nothing(string path, string body, string? field)
    {
        body = body.Replace("{ref201}", new string('r', 201));
        path = path.Replace("{list}", fixture.List.ToString());
        using var support = fixture.Support();
        var before = await support.SnapshotAsync(fixture.Account);
        var method = path.StartsWith("lists/", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
        var problem = await support.SendJsonAsync(method, $"api/v1/accounts/{fixture.Account}/{path}", body, HttpStatusCode.BadRequest);
        Api.AssertProblem(problem, 400, field);
        Assert.Equal(before, await support.SnapshotAsync(fixture.Account));
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"X","timeZone":"Nowhere/City"}""", "timeZone")]
    [InlineData("""{"name":"X","productTypes":["Spaceship"]}""", "productTypes")]
    [InlineData("""{"name":"X","productTypes":"Ticketing"}""", "productTypes")]
    [InlineData("""{"name":"X","ownerEmail":"owner@x.test"}""", "ownerPassword")]
    [InlineData("""{"name":"X","ownerPassword":"Str0ng#Passw0rd"}""", "ownerEmail")]
    [InlineData("""{"name":"X","ownerEmail":"not-an-email","ownerPassword":"Str0ng#Passw0rd"}""", "ownerEmail")]
    [InlineData("""{"name":"X","ownerEmail":"owner@x.test","ownerPassword":"weak"}""", "ownerPassword")]
    [InlineData("""{"name":"X","billingContacts":["nope"]}""", "billingContacts")]
    public async Task Bad_new_account_is_400_and_creates_nothing(string body, string field)
    {
        using var support = fixture.Support();
        await using var db = fixture.Database.CreateContext();
        var accounts = db.Accounts.Count();
        var users = db.Users.Count();
        var problem = await support.PostJsonAsync("api/v1/accounts", body, HttpStatusCode.BadRequest);
        Api.AssertProblem(problem, 400, field);
        Assert.Equal(accounts, db.Accounts.Count());
        Assert.Equal(users, db.Users.Count());
    }
}
