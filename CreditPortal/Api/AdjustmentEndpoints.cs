using CreditPortal.Ledger;

namespace CreditPortal.Api;

public sealed record AdjustmentBody(string? Channel, long? Quantity, string? ExpiresAt, string? Reason);

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
            .WithSummary("Support key: grants credits as an Adjustment lot; expiresAt (ISO-8601 with offset) is optional, reason is required.");
    }

    private static async Task<IResult> GrantAsync(HttpContext http, long accountId, CreditLedger ledger)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.AdjustmentBody);
        var channel = ApiInput.Enum<Channel>(body.Channel, "channel");
        var quantity = ApiInput.Quantity(body.Quantity);
        var expiresAt = ApiInput.Instant(body.ExpiresAt, "expiresAt");
        var reason = Validate.Text(body.Reason, "reason", 500);
        var lotId = await ledger.GrantAdjustmentAsync(accountId, channel, quantity, expiresAt, reason, ApiCaller.Of(http).Actor);
        return TypedResults.Json(new LotAnswer(lotId), ApiJsonContext.Wire.LotAnswer, statusCode: StatusCodes.Status201Created);
    }
}
