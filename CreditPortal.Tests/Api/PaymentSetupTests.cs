using System.Net;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CreditPortal.Tests.Api;

/// <summary>The app with <c>Payments:Provider</c> unset: ordering is off.</summary>
public sealed class NoPaymentsApiTestApp : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Payments:Provider", "");
    }
}

/// <summary>
/// Payments:Provider (docs/domain.md §5): the test provider never runs in Production, and with no provider
/// nothing can be bought, so nothing is granted.
/// </summary>
public sealed class PaymentSetupTests(NoPaymentsApiTestApp app) : IClassFixture<NoPaymentsApiTestApp>
{
    [Fact]
    public async Task Payments_TestProviderInProduction_TheAppRefusesToStartAndSaysWhy()
    {
        using var database = new TempDatabase("production-test-payments");
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Payments:Provider"] = "Test",
        };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalServer.StartAsync(database.ConnectionString, settings));

        Assert.Contains("The app exited before listening", refused.Message);
        Assert.Contains("Payments:Provider=Test is refused in the Production environment", refused.Message);
        Assert.Contains("takes no real money", refused.Message);
    }

    [Fact]
    public void Payments_StripeWithoutItsSecrets_IsRefusedAtStart_AndTheTestProviderOnlyOutsideProduction()
    {
        var production = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" };
        var development = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" };
        var stripe = new CreditPortal.Orders.PaymentsOptions { Provider = "Stripe", Stripe = new() { SecretKey = "sk_live_x" } };
        Assert.Contains("Payments:Stripe:WebhookSecret", Assert.Throws<InvalidOperationException>(() => stripe.EnsureAllowedIn(production)).Message);
        stripe.Stripe.WebhookSecret = "whsec_x";
        stripe.EnsureAllowedIn(production);
        new CreditPortal.Orders.PaymentsOptions { Provider = "Test" }.EnsureAllowedIn(development);
        Assert.Throws<InvalidOperationException>(() => new CreditPortal.Orders.PaymentsOptions { Provider = "Test" }.EnsureAllowedIn(production));
        Assert.Contains("must be Stripe, Test or unset",
            Assert.Throws<InvalidOperationException>(() => new CreditPortal.Orders.PaymentsOptions { Provider = "Paypal" }.EnsureAllowedIn(development)).Message);
    }

    [Fact]
    public async Task Payments_Unset_OrdersAndChargeNowAnswer422PaymentsNotConfigured_AndNothingChanges()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Unpaid", ""","productTypes":["Domain"]""");
        using var client = app.As(await support.CreateKeyAsync(account));
        var before = await support.SnapshotAsync(account);

        var order = await client.PostJsonAsync($"api/v1/accounts/{account}/orders",
            """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"order-1"}""", HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(order, 422, code: "payments_not_configured");
        Assert.Contains("Payments are not set up", (string)order["detail"]!);
        var refill = await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now",
            """{"channel":"Email","paymentToken":"tok_ok","idempotencyKey":"refill-1"}""", HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(refill, 422, code: "payments_not_configured");

        var plan = await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan",
            """{"plan":"Standard","subscriberCount":1000,"paymentToken":"tok_ok","idempotencyKey":"plan-1"}""", HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(plan, 422, code: "payments_not_configured");

        Assert.Equal(before, await support.SnapshotAsync(account));
        Assert.Equal(250, await client.TotalAsync(account));
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Payments_Unset_TheFreePlanStillWorks()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Free rider");
        using var client = app.As(await support.CreateKeyAsync(account));

        var free = await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan", """{"plan":"Free"}""");

        Assert.Equal("Free", (string)free["plan"]!);
        Assert.Null(free["order"]);
        Assert.Equal(15_000, await client.TotalAsync(account));
    }
}

/// <summary>Charge now moves money: the caller's idempotency key is what makes a retry pay once.</summary>
public sealed class ChargeNowIdempotencyTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task ChargeNow_WithoutIdempotencyKey_Is422NamingTheField_AndNothingIsBought()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Refiller");
        using var client = app.As(await support.CreateKeyAsync(account));
        var before = await support.SnapshotAsync(account);

        var refused = await client.PostJsonAsync($"api/v1/accounts/{account}/charge-now", """{"channel":"Email","paymentToken":"tok_ok"}""",
            HttpStatusCode.UnprocessableEntity);

        Api.AssertProblem(refused, 422, field: "idempotencyKey", code: "idempotency_key_required");
        Assert.Equal(before, await support.SnapshotAsync(account));
    }
}
