using System.Net;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CreditPortal.Tests.Api;

/// <summary>The app with Payments:Provider=Stripe, its Stripe being a local fake (WireMock.Net).</summary>
public sealed class StripeApiTestApp : ApiTestApp
{
    public StripeFake Stripe { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Payments:Provider", "Stripe");
        builder.UseSetting("Payments:Stripe:SecretKey", StripeFake.SecretKey);
        builder.UseSetting("Payments:Stripe:WebhookSecret", StripeFake.WebhookSecret);
        builder.UseSetting("Payments:Stripe:ApiBase", Stripe.Url);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Stripe.Dispose();
    }
}

/// <summary>3-D Secure over the API: an order that requires action grants nothing; Stripe's signed webhook books it;
/// a webhook whose signature does not verify is 400 and changes nothing.</summary>
public sealed class StripeWebhookTests(StripeApiTestApp app) : IClassFixture<StripeApiTestApp>
{
    [Fact]
    public async Task Requires_action_grants_nothing_a_badly_signed_webhook_is_400_and_the_signed_one_books_the_order()
    {
        app.Stripe.PaymentIntentsAnswer("requires_action", nextActionUrl: "https://hooks.stripe.test/3ds/pi_fake1");
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Careful buyer");
        using var client = app.As(await support.CreateKeyAsync(account));
        const string body = """{"packId":"email-10000","paymentToken":"pm_card_threeDSecure2Required","idempotencyKey":"3ds-1"}""";

        var order = await client.PostJsonAsync($"api/v1/accounts/{account}/orders", body);
        Assert.Equal("RequiresAction", (string)order["status"]!);
        Assert.Equal("https://hooks.stripe.test/3ds/pi_fake1", (string)order["nextActionUrl"]!);
        Assert.Null(order["lotId"]);
        Assert.Equal(0, await client.TotalAsync(account));
        var before = await support.SnapshotAsync(account);

        var paid = StripeFake.Intent("pi_fake1", 1800, "succeeded", $"order-{(long)order["orderId"]!}", null);
        var (forged, forgedSignature) = StripeFake.Webhook("payment_intent.succeeded", paid, secret: "whsec_not_the_right_one");
        using var anonymous = app.Anonymous();
        var refused = await Send(anonymous, forged, forgedSignature, HttpStatusCode.BadRequest);
        Assert.Contains("invalid_signature", refused);
        await Send(anonymous, forged, "t=1,v1=00", HttpStatusCode.BadRequest);
        await Send(anonymous, forged, null, HttpStatusCode.BadRequest);
        Assert.Equal(before, await support.SnapshotAsync(account));

        var (genuine, signature) = StripeFake.Webhook("payment_intent.succeeded", paid);
        await Send(anonymous, genuine, signature, HttpStatusCode.OK);
        await Send(anonymous, genuine, signature, HttpStatusCode.OK); // Stripe delivers at least once: booked once

        Assert.Equal(10_000, await client.TotalAsync(account));
        var replay = await client.PostJsonAsync($"api/v1/accounts/{account}/orders", body, HttpStatusCode.OK);
        Assert.Equal("Paid", (string)replay["status"]!);
        Assert.Single(app.Stripe.Requests("POST", "/v1/payment_intents"),
            r => StripeFake.Form(r)["metadata[order_key]"] == $"order-{(long)order["orderId"]!}");
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task A_webhook_whose_amount_does_not_match_the_order_books_nothing()
    {
        app.Stripe.PaymentIntentsAnswer("requires_action");
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Mismatch");
        using var client = app.As(await support.CreateKeyAsync(account));
        var order = await client.PostJsonAsync($"api/v1/accounts/{account}/orders",
            """{"packId":"email-5000","paymentToken":"pm_card_threeDSecure2Required","idempotencyKey":"3ds-2"}""");

        var cheaper = StripeFake.Intent("pi_fake2", 1, "succeeded", $"order-{(long)order["orderId"]!}", null);
        var (json, signature) = StripeFake.Webhook("payment_intent.succeeded", cheaper);
        using var anonymous = app.Anonymous();
        await Send(anonymous, json, signature, HttpStatusCode.UnprocessableEntity);

        Assert.Equal(0, await client.TotalAsync(account));
    }

    private static async Task<string> Send(HttpClient client, string body, string? signature, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/payments/stripe/webhook") { Content = new StringContent(body) };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"webhook: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text;
    }
}
