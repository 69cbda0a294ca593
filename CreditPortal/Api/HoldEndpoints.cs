using System.Text.Json.Serialization;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;

namespace CreditPortal.Api;

/// <param name="ExpiresAt">ISO-8601 with an offset; in the future and at most <c>Credits:MaxHoldDays</c> (30) days ahead.</param>
public sealed record HoldBody(string? Channel, long? ListId, long? Quantity, string? Country, string? Reference, string? ExpiresAt, string? IdempotencyKey);

public sealed record CaptureBody(long? Quantity);

/// <summary>Issue #17: a hold. <see cref="Held"/> is the credits still held (0 once it ended).</summary>
public sealed record HoldAnswer(
    long Id,
    HoldStatus Status,
    Channel Channel,
    long ListId,
    long Quantity,
    long Credits,
    long Held,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Country,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reference,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EndedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CapturedQuantity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ConsumptionId);

/// <summary>
/// Issue #17, holds for scheduled campaigns: <c>POST/GET .../holds</c>, <c>GET .../holds/{holdId}</c>,
/// <c>POST .../holds/{holdId}/capture</c>, <c>DELETE .../holds/{holdId}</c>. The same scope as consumptions (<c>send</c>): a
/// hold is a send announced ahead, and its capture is the send.
/// </summary>
public static class HoldEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPost("/holds", PlaceAsync)
            .JsonBody<HoldBody>("channel", "listId", "quantity", "expiresAt", "idempotencyKey")
            .Produces<HoldAnswer>(StatusCodes.Status201Created)
            .Produces<HoldAnswer>(StatusCodes.Status200OK)
            .WithSummary("Reserves credits for a later send under the list's rules (R4, R6, R7, R1 order); 201 Active. What cannot be covered now is 422 with the reason (never queued). A retry with the same idempotencyKey answers 200 with the hold as it is now.");
        account.MapGet("/holds", ListAsync)
            .Produces<List<HoldAnswer>>()
            .WithSummary("The account's active holds, soonest end first.");
        account.MapGet("/holds/{holdId:long}", GetAsync)
            .Produces<HoldAnswer>()
            .WithSummary("One hold, in any status (Active, Captured, Voided, Expired).");
        account.MapPost("/holds/{holdId:long}/capture", CaptureAsync)
            .JsonBody<CaptureBody>("quantity")
            .Produces<HoldAnswer>()
            .WithSummary("Spends up to the held messages as one Accepted consumption (consumptionId) and releases the rest. More than held: 400 naming quantity. A hold no longer active: 409 hold_captured / hold_voided / hold_expired (a retry of the same capture answers 200 again).");
        account.MapDelete("/holds/{holdId:long}", VoidAsync)
            .Produces<HoldAnswer>()
            .WithSummary("Voids the hold: everything it holds is released. Again on a voided hold: the same answer; captured or expired: 409.");
    }

    private static async Task<IResult> PlaceAsync(HttpContext http, long accountId, CreditLedger ledger)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.HoldBody);
        var send = ApiInput.Send(body.Channel, body.ListId, body.Quantity, body.Country, body.Reference);
        var request = new HoldRequest(send.Channel, send.ListId, send.Quantity, send.Country, send.Reference,
            ApiInput.Instant(ApiInput.Required(body.ExpiresAt, "expiresAt"), "expiresAt")!.Value,
            Validate.IdempotencyKey(body.IdempotencyKey));
        var caller = ApiCaller.Of(http);
        var result = await ledger.PlaceHoldAsync(accountId, request, caller.Actor, caller.SendingKey);
        return TypedResults.Json(ToAnswer(result.Hold), ApiJsonContext.Wire.HoldAnswer,
            statusCode: result.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var holds = await queries.GetActiveHoldsAsync(accountId, http.RequestAborted);
        return TypedResults.Json(holds.Select(ToAnswer).ToList(), ApiJsonContext.Wire.ListHoldAnswer);
    }

    private static async Task<IResult> GetAsync(HttpContext http, long accountId, long holdId, LedgerQueries queries)
    {
        var hold = await queries.GetHoldAsync(accountId, holdId, http.RequestAborted) ?? throw new LedgerNotFoundException($"Hold {holdId}");
        return TypedResults.Json(ToAnswer(hold), ApiJsonContext.Wire.HoldAnswer);
    }

    private static async Task<IResult> CaptureAsync(HttpContext http, long accountId, long holdId, CreditLedger ledger)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.CaptureBody);
        var result = await ledger.CaptureHoldAsync(accountId, holdId, ApiInput.Quantity(body.Quantity), ApiCaller.Of(http).Actor);
        return TypedResults.Json(ToAnswer(result.Hold), ApiJsonContext.Wire.HoldAnswer);
    }

    private static async Task<IResult> VoidAsync(HttpContext http, long accountId, long holdId, CreditLedger ledger)
    {
        var result = await ledger.VoidHoldAsync(accountId, holdId, ApiCaller.Of(http).Actor);
        return TypedResults.Json(ToAnswer(result.Hold), ApiJsonContext.Wire.HoldAnswer);
    }

    public static HoldAnswer ToAnswer(HoldView h) => new(h.Id, h.Status, h.Channel, h.ListId, h.Quantity, h.Credits, h.Held, h.CreatedAt, h.ExpiresAt,
        h.Country, h.Reference, h.EndedAt, h.CapturedQuantity, h.ConsumptionId);
}
