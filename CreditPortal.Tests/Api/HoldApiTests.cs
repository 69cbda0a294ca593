using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Api;

/// <summary>Issue #17: <c>/api/v1/accounts/{id}/holds</c> over real HTTP (docs/api.md, "Holds").</summary>
public sealed class HoldApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private DateTimeOffset Now => app.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Hold(long listId, long quantity, string expiresAt, string key, string channel = "Email", string? country = null)
        => $$"""{"channel":"{{channel}}","listId":{{listId}},"quantity":{{quantity}},"expiresAt":"{{expiresAt}}","idempotencyKey":"{{key}}","reference":"friday"{{(country is null ? "" : $",\"country\":\"{country}\"")}}}""";

    [Fact]
    public async Task A_hold_is_placed_listed_captured_in_part_and_every_refusal_names_its_field_or_status()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Campaigns");
        using var client = app.As(await support.CreateKeyAsync(account, manage: false)); // the send scope is enough
        var list = await support.CreateListAsync(account, "News");
        await support.GrantAsync(account, 1_000);
        var path = $"api/v1/accounts/{account}/holds";
        var end = Instant(Now.AddDays(3));

        var placed = await client.PostJsonAsync(path, Hold(list, 300, end, "friday-1"));
        Assert.Equal(("Active", 300L, 300L), ((string)placed["status"]!, (long)placed["credits"]!, (long)placed["held"]!));
        var id = (long)placed["id"]!;
        var replay = await client.PostJsonAsync(path, Hold(list, 300, end, "friday-1"), HttpStatusCode.OK);
        Assert.Equal(id, (long)replay["id"]!);
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 301, end, "friday-1"), HttpStatusCode.Conflict), 409, "idempotencyKey",
            "idempotency_conflict");

        var wallet = await client.WalletAsync(account);
        Assert.Equal((700L, 300L), ((long)wallet["total"]!, (long)wallet["held"]!));
        Assert.Equal(id, (long)Assert.Single((await client.GetJsonAsync(path)).AsArray())!["id"]!);
        Assert.Equal("Active", (string)(await client.GetJsonAsync($"{path}/{id}"))["status"]!);

        // What cannot be covered now is refused, never queued, and nothing is held.
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 701, end, "too-big"), HttpStatusCode.UnprocessableEntity), 422, "quantity",
            "insufficient_credits");
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 1, Instant(Now.AddMinutes(-1)), "past"), HttpStatusCode.BadRequest), 400, "expiresAt");
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 1, Instant(Now.AddDays(31)), "far"), HttpStatusCode.BadRequest), 400, "expiresAt");
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 1, "friday", "bad"), HttpStatusCode.BadRequest), 400, "expiresAt");
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 0, end, "zero"), HttpStatusCode.BadRequest), 400, "quantity");
        Api.AssertProblem(await client.PostJsonAsync(path, $$"""{"channel":"Email","listId":{{list}},"quantity":1,"idempotencyKey":"no-end"}""",
            HttpStatusCode.BadRequest), 400, "expiresAt");
        Api.AssertProblem(await client.PostJsonAsync(path, Hold(list, 1, end, "sms", "Sms"), HttpStatusCode.BadRequest), 400, "country");
        Assert.Equal(700, await client.TotalAsync(account));

        Api.AssertProblem(await client.PostJsonAsync($"{path}/{id}/capture", """{"quantity":301}""", HttpStatusCode.BadRequest), 400, "quantity");
        Api.AssertProblem(await client.PostJsonAsync($"{path}/{id}/capture", """{}""", HttpStatusCode.BadRequest), 400, "quantity");
        var captured = await client.PostJsonAsync($"{path}/{id}/capture", """{"quantity":250}""", HttpStatusCode.OK);
        Assert.Equal(("Captured", 250L, 0L), ((string)captured["status"]!, (long)captured["capturedQuantity"]!, (long)captured["held"]!));
        var again = await client.PostJsonAsync($"{path}/{id}/capture", """{"quantity":250}""", HttpStatusCode.OK);
        Assert.Equal((long)captured["consumptionId"]!, (long)again["consumptionId"]!);
        var other = await client.PostJsonAsync($"{path}/{id}/capture", """{"quantity":10}""", HttpStatusCode.Conflict);
        Api.AssertProblem(other, 409, "status", "hold_captured");
        Api.AssertProblem(await client.SendJsonAsync(HttpMethod.Delete, $"{path}/{id}", null, HttpStatusCode.Conflict), 409, "status", "hold_captured");

        var consumption = Assert.Single(await client.GetItemsAsync($"api/v1/accounts/{account}/consumptions"))!;
        Assert.Equal(("Accepted", 250L, "friday"), ((string)consumption["status"]!, (long)consumption["credits"]!, (string)consumption["reference"]!));
        wallet = await client.WalletAsync(account);
        Assert.Equal((750L, 0L), ((long)wallet["total"]!, (long)wallet["held"]!));
        Assert.Empty((await client.GetJsonAsync(path)).AsArray());
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task A_void_releases_it_again_answers_the_same_and_the_clock_expires_another_by_itself()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Voids");
        using var client = app.As(await support.CreateKeyAsync(account, manage: false));
        var list = await support.CreateListAsync(account, "News");
        await support.GrantAsync(account, 500);
        var path = $"api/v1/accounts/{account}/holds";

        var voidMe = (long)(await client.PostJsonAsync(path, Hold(list, 100, Instant(Now.AddDays(3)), "void-me")))["id"]!;
        var expireMe = (long)(await client.PostJsonAsync(path, Hold(list, 200, Instant(Now.AddHours(5)), "expire-me")))["id"]!;
        Assert.Equal(200, await client.TotalAsync(account));

        var voided = await client.SendJsonAsync(HttpMethod.Delete, $"{path}/{voidMe}", null, HttpStatusCode.OK);
        Assert.Equal("Voided", (string)voided["status"]!);
        Assert.Equal("Voided", (string)(await client.SendJsonAsync(HttpMethod.Delete, $"{path}/{voidMe}", null, HttpStatusCode.OK))["status"]!);
        Api.AssertProblem(await client.PostJsonAsync($"{path}/{voidMe}/capture", """{"quantity":1}""", HttpStatusCode.Conflict), 409, "status", "hold_voided");
        Assert.Equal(300, await client.TotalAsync(account));

        await support.PutJsonAsync("api/v1/clock", $$"""{"now":"{{Instant(Now.AddHours(6))}}"}""");
        var expired = await client.GetJsonAsync($"{path}/{expireMe}");
        Assert.Equal(("Expired", 0L), ((string)expired["status"]!, (long)expired["held"]!));
        Api.AssertProblem(await client.PostJsonAsync($"{path}/{expireMe}/capture", """{"quantity":1}""", HttpStatusCode.Conflict), 409, "status", "hold_expired");
        Assert.Equal(500, await client.TotalAsync(account));
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Another_accounts_hold_is_not_found_through_either_account()
    {
        using var support = app.Support();
        var a = await support.CreateAccountAsync("Holds A");
        var b = await support.CreateAccountAsync("Holds B");
        using var keyA = app.As(await support.CreateKeyAsync(a, manage: false));
        using var keyB = app.As(await support.CreateKeyAsync(b, manage: false));
        var list = await support.CreateListAsync(a, "News");
        await support.GrantAsync(a, 100);
        var hold = (long)(await keyA.PostJsonAsync($"api/v1/accounts/{a}/holds", Hold(list, 10, Instant(Now.AddDays(1)), "mine")))["id"]!;

        await keyB.GetJsonAsync($"api/v1/accounts/{a}/holds/{hold}", HttpStatusCode.NotFound);
        await keyB.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{a}/holds/{hold}", null, HttpStatusCode.NotFound);
        await keyB.GetJsonAsync($"api/v1/accounts/{b}/holds/{hold}", HttpStatusCode.NotFound);
        await keyB.PostJsonAsync($"api/v1/accounts/{b}/holds/{hold}/capture", """{"quantity":1}""", HttpStatusCode.NotFound);
        await keyB.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{b}/holds/{hold}", null, HttpStatusCode.NotFound);
        Assert.Equal(("Active", 10L), ((string)(await keyA.GetJsonAsync($"api/v1/accounts/{a}/holds/{hold}"))["status"]!,
            (long)(await keyA.GetJsonAsync($"api/v1/accounts/{a}/holds/{hold}"))["held"]!));
        Assert.Empty(await app.LedgerCheckAsync());
    }
}
