using System.Globalization;
using CreditPortal.Orders;
using CreditPortal.Orders.StripePayments;
using Stripe;

namespace CreditPortal.Api;

/// <summary>
/// <c>POST /api/v1/payments/stripe/webhook</c>: Stripe's asynchronous outcomes (a 3-D Secure payment finished or
/// failed). No API key — Stripe signs the body with the endpoint's secret instead, and a body whose signature does
/// not verify is 400 and changes nothing. A verified outcome books its order once (as any outcome does).
/// </summary>
public static class StripeWebhookEndpoints
{
    public const string Route = "/api/v1/payments/stripe/webhook";
    private const int MaxBody = 64 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
        => endpoints.MapPost(Route, ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .AddEndpointFilter<ApiErrorFilter>()
            .WithSummary("Stripe's webhook: payment_intent.succeeded / payment_intent.payment_failed book their order. Signed with " +
                         "Payments:Stripe:WebhookSecret (Stripe-Signature); a bad signature is 400 and changes nothing.");

    private static async Task<IResult> ReceiveAsync(HttpContext http, PaymentsOptions payments, OrderService orders, ILoggerFactory loggers)
    {
        if (!payments.IsStripe) return ApiProblems.NotFound("Stripe is not the payment provider here.");
        if (http.Request.ContentLength > MaxBody) throw new ApiPayloadTooLargeException();
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync(http.RequestAborted);
        if (json.Length > MaxBody) throw new ApiPayloadTooLargeException();

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, http.Request.Headers["Stripe-Signature"].ToString(), payments.Stripe.WebhookSecret!,
                throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is StripeException or ArgumentException or FormatException or Newtonsoft.Json.JsonException)
        {
            return ApiProblems.Result(StatusCodes.Status400BadRequest, "The webhook's signature does not verify: nothing was changed.",
                "invalid_signature");
        }

        if (stripeEvent.Type is not ("payment_intent.succeeded" or "payment_intent.payment_failed")
            || stripeEvent.Data.Object is not PaymentIntent intent
            || intent.Metadata?.GetValueOrDefault(StripePaymentProvider.OrderKeyField) is not { } key
            || !key.StartsWith("order-", StringComparison.Ordinal)
            || !long.TryParse(key.AsSpan("order-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var orderId))
            return Results.Ok(); // not ours to book: acknowledged, so Stripe does not send it again

        PaymentResult outcome;
        try
        {
            outcome = StripePaymentProvider.ToResult(intent);
        }
        catch (PaymentOutcomeUnknownException)
        {
            return Results.Ok(); // still processing: a later event settles it
        }
        var order = await orders.BookProviderOutcomeAsync(orderId, intent.Amount, intent.Currency, outcome);
        loggers.CreateLogger(typeof(StripeWebhookEndpoints)).LogInformation("Stripe {Event} for order {OrderId}: {Status}", stripeEvent.Type, orderId,
            order?.Status);
        return Results.Ok();
    }
}
