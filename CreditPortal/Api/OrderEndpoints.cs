using System.Text.Json.Serialization;
using CreditPortal.Ledger;
using CreditPortal.Orders;

namespace CreditPortal.Api;

public sealed record OrderBody(string? PackId, string? PaymentToken, string? IdempotencyKey);

public sealed record ChargeNowBody(string? Channel, string? PaymentToken, string? IdempotencyKey);

public sealed record ChannelBody(string? Channel);

public sealed record OrderAnswer(
    long OrderId,
    OrderStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LotId,
    long Credits,
    decimal Price,
    string Currency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeclineReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextActionUrl = null);

public sealed record ChargeNowQuoteAnswer(decimal Price, string Currency, long Credits, int DaysLeft, int WeeksLeft, int DaysInCycle);

/// <summary>
/// Buying credits: <c>POST .../orders</c> (R3 packs), <c>POST .../charge-now/quote</c> and
/// <c>POST .../charge-now</c> (R8). An unknown <c>packId</c> is a 400 on that field: it is a value in
/// the body, not a resource in the path.
/// </summary>
public static class OrderEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPost("/orders", OrderPackAsync)
            .JsonBody<OrderBody>("packId", "paymentToken", "idempotencyKey")
            .Produces<OrderAnswer>(StatusCodes.Status201Created)
            .Produces<OrderAnswer>(StatusCodes.Status200OK)
            .WithSummary("Buys a pack: 201 Paid (with lotId), Declined, RequiresAction (3-D Secure: finish it at nextActionUrl; credits arrive when the provider confirms) or Pending (the provider's answer was lost; it is looked up); test tokens tok_ok / tok_decline. Same idempotencyKey and body: 200 with the first answer. No payment provider configured: 422 payments_not_configured.");
        account.MapPost("/charge-now/quote", QuoteAsync)
            .JsonBody<ChannelBody>("channel")
            .Produces<ChargeNowQuoteAnswer>()
            .WithSummary("R8: what a mid-cycle refill on the Standard plan costs and gives now.");
        account.MapPost("/charge-now", ChargeNowAsync)
            .JsonBody<ChargeNowBody>("channel", "paymentToken", "idempotencyKey")
            .Produces<OrderAnswer>(StatusCodes.Status201Created)
            .Produces<OrderAnswer>(StatusCodes.Status200OK)
            .WithSummary("R8: buys the refill quoted now. idempotencyKey is required (422 idempotency_key_required); a retry with it answers 200 with the first answer.");
    }

    private static async Task<IResult> OrderPackAsync(HttpContext http, long accountId, OrderService orders)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.OrderBody);
        var result = await orders.OrderPackAsync(accountId,
            ApiInput.Required(body.PackId, "packId"),
            ApiInput.Required(body.PaymentToken, "paymentToken"),
            Validate.IdempotencyKey(body.IdempotencyKey),
            ApiCaller.Of(http).Actor, http.RequestAborted);
        return Answer(result);
    }

    private static async Task<IResult> QuoteAsync(HttpContext http, long accountId, CreditLedger ledger, CreditsOptions options)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.ChannelBody);
        var quote = await ledger.QuoteChargeNowAsync(accountId, ApiInput.Enum<Channel>(body.Channel, "channel"));
        return TypedResults.Json(new ChargeNowQuoteAnswer(ApiMoney.Of(quote.Price), options.Currency, quote.Credits, quote.DaysLeft, quote.WeeksLeft, quote.DaysInCycle),
            ApiJsonContext.Wire.ChargeNowQuoteAnswer);
    }

    private static async Task<IResult> ChargeNowAsync(HttpContext http, long accountId, OrderService orders)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.ChargeNowBody);
        var result = await orders.ChargeNowAsync(accountId,
            ApiInput.Enum<Channel>(body.Channel, "channel"),
            ApiInput.Required(body.PaymentToken, "paymentToken"),
            body.IdempotencyKey,
            ApiCaller.Of(http).Actor, http.RequestAborted);
        return Answer(result);
    }

    private static IResult Answer(OrderResult r)
        => TypedResults.Json(ToAnswer(r), ApiJsonContext.Wire.OrderAnswer, statusCode: r.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);

    public static OrderAnswer ToAnswer(OrderResult r) => new(r.OrderId, r.Status, r.LotId, r.Credits, ApiMoney.Of(r.Price), r.Currency, r.DeclineReason,
        r.ActionUrl);
}
