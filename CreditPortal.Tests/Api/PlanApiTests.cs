using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary><c>PUT .../wallets/{channel}/plan</c> for the paid plans (R7): an order charged before the plan changes.</summary>
public sealed class PlanApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private static string Path(long account, string channel = "Email") => $"api/v1/accounts/{account}/wallets/{channel}/plan";

    [Fact]
    public async Task A_paid_plan_is_charged_first_and_a_retry_answers_the_same_order()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Subscriber");
        using var client = app.As(await support.CreateKeyAsync(account));

        var body = """{"plan":"Standard","subscriberCount":1000,"paymentToken":"tok_ok","idempotencyKey":"standard-1"}""";
        var first = await client.PutJsonAsync(Path(account), body);
        Assert.Equal("Standard", (string)first["plan"]!);
        Assert.Equal("Paid", (string)first["order"]!["status"]!);
        Assert.Equal(30.00m, (decimal)first["order"]!["price"]!);
        Assert.Equal(12_000, (long)first["order"]!["credits"]!);
        Assert.Equal(12_000, await client.TotalAsync(account));

        var again = await client.PutJsonAsync(Path(account), body);
        Assert.Equal(first["order"]!.ToJsonString(), again["order"]!.ToJsonString());
        Assert.Equal(12_000, await client.TotalAsync(account));
        var conflict = await client.PutJsonAsync(Path(account), body.Replace("1000", "2000"), HttpStatusCode.Conflict);
        Api.AssertProblem(conflict, 409, code: "idempotency_conflict");
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task A_declined_plan_payment_is_402_payment_declined_and_changes_nothing()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Declined", ""","productTypes":["Domain"]""");
        using var client = app.As(await support.CreateKeyAsync(account));
        var before = await client.WalletAsync(account);

        var refused = await client.PutJsonAsync(Path(account),
            """{"plan":"Pro","subscriberCount":500,"paymentToken":"tok_decline","idempotencyKey":"pro-1"}""", HttpStatusCode.PaymentRequired);

        Api.AssertProblem(refused, 402, code: "payment_declined");
        Assert.Equal(before.ToJsonString(), (await client.WalletAsync(account)).ToJsonString());
    }

    [Fact]
    public async Task A_paid_plan_needs_an_idempotency_key_and_a_bounded_subscriber_count()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Careful");
        using var client = app.As(await support.CreateKeyAsync(account));
        var before = await support.SnapshotAsync(account);

        var noKey = await client.PutJsonAsync(Path(account), """{"plan":"Monthly","monthlyCredits":10000,"paymentToken":"tok_ok"}""",
            HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(noKey, 422, field: "idempotencyKey", code: "idempotency_key_required");
        var tooMany = await client.PutJsonAsync(Path(account),
            """{"plan":"Standard","subscriberCount":1000001,"paymentToken":"tok_ok","idempotencyKey":"big"}""", HttpStatusCode.BadRequest);
        Api.AssertProblem(tooMany, 400, field: "subscriberCount");

        Assert.Equal(before, await support.SnapshotAsync(account));
    }
}
