using CreditPortal.Ledger;

namespace CreditPortal.Api;

public sealed record AdjustmentBody(string? Channel, long? Quantity, string? ExpiresAt, string? Reason, string? IdempotencyKey);

public sealed record LotAnswer(long LotId);

/// <summary>Support: <c>POST .../adjustments</c> grants an Adjustment lot (R11, reason required). There is no
/// negative adjustment, transfer or refund (R3).</summary>
public static class AdjustmentEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPost("/adjustments", GrantAsync)
            .RequireSupportKey()
            .JsonBody<AdjustmentBody>("channel", "quantity", "reason")
            .Produces<LotAnswer>(StatusCodes.Status201Created)
            .WithSummary("Support key: grants credits as an Adjustment lot; expiresAt (ISO-8601 with offset) is optional, reason is required. " +
                         "With idempotencyKey, a retry answers the same lotId and grants nothing more (another body under the key: 409).");
    }

    private static async Task<IResult> GrantAsync(HttpContext http, long accountId, CreditLedger ledger)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.AdjustmentBody);
        var channel = ApiInput.Enum<Channel>(body.Channel, "channel");
        var quantity = ApiInput.Quantity(body.Quantity);
        var expiresAt = ApiInput.Instant(body.ExpiresAt, "expiresAt");
        var reason = Validate.Text(body.Reason, "reason", 500);
        var key = body.IdempotencyKey is null ? null : Validate.IdempotencyKey(body.IdempotencyKey);
        var (lotId, replayed) = await ledger.GrantAdjustmentOnceAsync(accountId, channel, quantity, expiresAt, reason, ApiCaller.Of(http).Actor, key);
        return TypedResults.Json(new LotAnswer(lotId), ApiJsonContext.Wire.LotAnswer,
            statusCode: replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }
}
