using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// A local HTTP fake of Stripe's API (WireMock.Net), so the real Stripe.net client code of the adapter runs against
/// answers shaped like Stripe's. Only the provider's HTTP API is fake; the app, its database and its clock are real.
/// </summary>
public sealed class StripeFake : IDisposable
{
    public const string SecretKey = "sk_test_fake_0123456789";
    public const string WebhookSecret = "whsec_test_0123456789abcdef";
    public const string Customer = "cus_fake1";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public string Url => Server.Url!;

    public StripeFake() => Server.Given(Request.Create().WithPath("/v1/customers").UsingPost())
        .RespondWith(Json(200, $$$"""{"id":"{{{Customer}}}","object":"customer","metadata":{}}"""));

    /// <summary>Every POST /v1/payment_intents answers with a PaymentIntent in <paramref name="status"/>, after <paramref name="delay"/>.</summary>
    public void PaymentIntentsAnswer(string status, TimeSpan? delay = null, string? nextActionUrl = null)
    {
        var response = Json(200, Intent("pi_fake1", 0, status, null, nextActionUrl));
        if (delay is { } d) response = response.WithDelay(d);
        Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost()).RespondWith(response);
    }

    /// <summary>Every POST /v1/payment_intents is a card error (HTTP 402), as Stripe declines a card.</summary>
    public void PaymentIntentsDecline(string declineCode)
        => Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost())
            .RespondWith(Json(402, $$$"""{"error":{"type":"card_error","code":"card_declined","decline_code":"{{{declineCode}}}","message":"Your card was declined."}}"""));

    /// <summary>Every POST /v1/setup_intents answers with a SetupIntent in <paramref name="status"/> for <paramref name="paymentMethod"/>;
    /// updating the customer (its default payment method) answers the customer.</summary>
    public void SetupIntentsAnswer(string status, string paymentMethod, string? nextActionUrl = null)
    {
        var nextAction = nextActionUrl is null
            ? "null"
            : "{\"type\":\"redirect_to_url\",\"redirect_to_url\":{\"url\":\"" + nextActionUrl + "\",\"return_url\":\"https://portal.test/back\"}}";
        Server.Given(Request.Create().WithPath("/v1/setup_intents").UsingPost()).RespondWith(Json(200,
            $$$"""{"id":"seti_fake1","object":"setup_intent","status":"{{{status}}}","customer":"{{{Customer}}}","payment_method":"{{{paymentMethod}}}","usage":"off_session","metadata":{},"next_action":{{{nextAction}}}}"""));
        Server.Given(Request.Create().WithPath($"/v1/customers/{Customer}").UsingPost())
            .RespondWith(Json(200, $$$"""{"id":"{{{Customer}}}","object":"customer","metadata":{},"invoice_settings":{"default_payment_method":"{{{paymentMethod}}}"}}"""));
    }

    /// <summary>Every POST /v1/setup_intents is a card error (HTTP 402).</summary>
    public void SetupIntentsDecline(string declineCode)
        => Server.Given(Request.Create().WithPath("/v1/setup_intents").UsingPost())
            .RespondWith(Json(402, $$$"""{"error":{"type":"card_error","code":"card_declined","decline_code":"{{{declineCode}}}","message":"Your card was declined."}}"""));

    /// <summary>GET /v1/payment_intents (the customer's list) holds one PaymentIntent for <paramref name="orderKey"/>.</summary>
    public void ListHolds(string orderKey, long amount, string status)
        => Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingGet())
            .RespondWith(Json(200, """{"object":"list","url":"/v1/payment_intents","has_more":false,"data":[""" + Intent("pi_found1", amount, status, orderKey, null) + "]}"));

    public IReadOnlyList<ILogEntry> Requests(string method, string path)
        => Server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path).ToList();

    /// <summary>A form-encoded Stripe request body as its fields (<c>metadata[order_key]</c> and so on).</summary>
    public static Dictionary<string, string> Form(ILogEntry request)
        => QueryHelpers.ParseQuery(request.RequestMessage.Body ?? "").ToDictionary(p => p.Key, p => p.Value.ToString());

    public static string Intent(string id, long amount, string status, string? orderKey, string? nextActionUrl)
    {
        var metadata = orderKey is null ? "{}" : "{\"order_key\":\"" + orderKey + "\"}";
        var nextAction = nextActionUrl is null
            ? "null"
            : "{\"type\":\"redirect_to_url\",\"redirect_to_url\":{\"url\":\"" + nextActionUrl + "\",\"return_url\":\"https://portal.test/back\"}}";
        return $$$"""{"id":"{{{id}}}","object":"payment_intent","amount":{{{amount}}},"currency":"eur","status":"{{{status}}}","customer":"{{{Customer}}}","metadata":{{{metadata}}},"next_action":{{{nextAction}}}}""";
    }

    /// <summary>A webhook event as Stripe sends it, and its Stripe-Signature header signed with <paramref name="secret"/>.</summary>
    public static (string Body, string Signature) Webhook(string type, string intentJson, string secret = WebhookSecret)
    {
        var body = $$$"""{"id":"evt_fake1","object":"event","api_version":"2024-06-20","created":1700000000,"livemode":false,"type":"{{{type}}}","data":{"object":{{{intentJson}}}}}""";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture); // Stripe checks it against the real time
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
        return (body, $"t={timestamp},v1={signature}");
    }

    private static IResponseBuilder Json(int status, string body)
        => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    public void Dispose() => Server.Stop();
}
