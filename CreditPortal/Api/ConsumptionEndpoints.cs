using System.Globalization;
using System.Text.Json.Serialization;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;

namespace CreditPortal.Api;

public sealed record ConsumptionBody(string? Channel, long? ListId, long? Quantity, string? Country, string? Reference, string? IdempotencyKey);

/// <param name="Warning">R9: <c>low_balance</c> when the wallet is left at or below 15% of its last purchase or cycle grant,
/// with the credits <paramref name="Remaining"/> and the portal's refill page.</param>
public sealed record ConsumptionAnswer(
    long Id,
    ConsumptionStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warning = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Remaining = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefillUrl = null);

/// <summary>R9 "running low" in the dry run: the same three fields as the send's answer.</summary>
public sealed record LowBalanceAnswer(string Warning, long Remaining, string RefillUrl);

public sealed record ConsumptionItem(
    long Id,
    DateTimeOffset At,
    Channel Channel,
    long ListId,
    long Quantity,
    long Credits,
    ConsumptionStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reference,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Country);

public sealed record PreviewDrawAnswer(long LotId, LotKind Kind, DateTimeOffset? ExpiresAt, long Credits);

public sealed record PreviewListAnswer(long ListId, AllocationMode Mode, long? Assigned, bool CapEnabled, long? CapPerMonth, long SentThisMonth, long? CapLeft);

public sealed record PreviewWarningAnswer(AlertKind? Alert, bool AutoRenew, string Detail);

public sealed record PreviewAnswer(
    DateTimeOffset At,
    Channel Channel,
    long Quantity,
    long Credits,
    ConsumptionStatus Status,
    string? Reason,
    bool Unmetered,
    IReadOnlyList<PreviewDrawAnswer> Draws,
    PreviewListAnswer List,
    long WalletTotal,
    long WalletUnassigned,
    PreviewWarningAnswer? Warning,
    LowBalanceAnswer? LowBalance);

public sealed record CancelledAnswer(long Id, ConsumptionStatus Status, string Reason);

/// <summary><c>POST/GET /api/v1/accounts/{id}/consumptions</c>: the sending systems' hot path.</summary>
public static class ConsumptionEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPost("/consumptions", CreateAsync)
            .JsonBody<ConsumptionBody>("channel", "listId", "quantity", "idempotencyKey")
            .Produces<ConsumptionAnswer>(StatusCodes.Status201Created)
            .Produces<ConsumptionAnswer>(StatusCodes.Status200OK)
            .WithSummary("Records one send; 201 Accepted/Queued/Rejected (a refusal is recorded too); a retry with the same idempotencyKey answers 200 with the first answer.");
        account.MapPost("/consumptions/preview", PreviewAsync)
            .JsonBody<ConsumptionBody>("channel", "listId", "quantity")
            .Produces<PreviewAnswer>()
            .WithSummary("Dry run: what the same consumption would do now (status, reason, lots drawn, the list after, the low-balance warning); changes and records nothing. idempotencyKey may be sent and is ignored.");
        account.MapDelete("/consumptions/{consumptionId:long}", CancelAsync)
            .Produces(StatusCodes.Status200OK)
            .WithSummary("R9: cancels a Queued consumption (recorded as Rejected, reason cancelled; the sends behind it may go). Any other status: 422 not_queued.");
        account.MapGet("/consumptions", ListAsync)
            .Produces<PageAnswer<ConsumptionItem>>()
            .WithSummary("Consumptions in request order, paged: follow `next` until it is null. from/to: local dates YYYY-MM-DD, inclusive.");
    }

    private static async Task<IResult> CancelAsync(HttpContext http, long accountId, long consumptionId, CreditLedger ledger,
        Microsoft.EntityFrameworkCore.IDbContextFactory<CreditPortal.Data.CreditPortalDbContext> dbFactory)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(http.RequestAborted))
        {
            if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Consumptions,
                    c => c.Id == consumptionId && c.AccountId == accountId, http.RequestAborted))
                throw new LedgerNotFoundException($"Consumption {consumptionId}");
        }
        await ledger.CancelQueuedAsync(accountId, consumptionId, ApiCaller.Of(http).Actor);
        return TypedResults.Json(new CancelledAnswer(consumptionId, ConsumptionStatus.Rejected, ConsumptionReasons.Cancelled),
            ApiJsonContext.Wire.CancelledAnswer);
    }

    /// <summary>The machine word of R9's send-time warning.</summary>
    public const string LowBalanceWarning = "low_balance";

    private static async Task<IResult> CreateAsync(HttpContext http, long accountId, CreditLedger ledger, Health.PortalMetrics metrics, RefillLinks links)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.ConsumptionBody);
        var send = ApiInput.Send(body.Channel, body.ListId, body.Quantity, body.Country, body.Reference);
        var request = new ConsumptionRequest(send.Channel, send.ListId, send.Quantity, send.Country, send.Reference,
            Validate.IdempotencyKey(body.IdempotencyKey));
        var caller = ApiCaller.Of(http);
        var result = await ledger.ConsumeAsync(accountId, request, caller.Actor, caller.SendingKey);
        if (!result.Replayed) metrics.Consumption(result.Status);
        var answer = result.LowBalanceRemaining is { } left
            ? new ConsumptionAnswer(result.Id, result.Status, result.Reason, LowBalanceWarning, left, links.For(http.Request, accountId, request.Channel))
            : new ConsumptionAnswer(result.Id, result.Status, result.Reason);
        return TypedResults.Json(answer, ApiJsonContext.Wire.ConsumptionAnswer,
            statusCode: result.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, long accountId, CreditLedger ledger, RefillLinks links)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.ConsumptionBody);
        var send = ApiInput.Send(body.Channel, body.ListId, body.Quantity, body.Country, body.Reference);
        var p = await ledger.PreviewConsumptionAsync(accountId, send, ApiCaller.Of(http).SendingKey);
        var list = p.List;
        var answer = new PreviewAnswer(p.At, p.Channel, p.Quantity, p.Credits, p.Status, p.Reason, p.Unmetered,
            p.Draws.Select(d => new PreviewDrawAnswer(d.LotId, d.Kind, d.ExpiresAt, d.Credits)).ToList(),
            new PreviewListAnswer(list.ListId, list.Mode, list.Assigned, list.CapEnabled, list.CapPerMonth, list.SentThisMonth, list.CapLeft),
            p.WalletTotal, p.WalletUnassigned,
            p.Warning is { } w ? new PreviewWarningAnswer(w.Alert, w.AutoRenew, w.Detail) : null,
            p.LowBalanceRemaining is { } left ? new LowBalanceAnswer(LowBalanceWarning, left, links.For(http.Request, accountId, p.Channel)) : null);
        return TypedResults.Json(answer, ApiJsonContext.Wire.PreviewAnswer);
    }

    private static async Task<IResult> ListAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var q = http.Request.Query;
        var (from, to) = ApiInput.DateRange(q["from"], q["to"]);
        var listId = ApiInput.QueryLong(q["listId"], "listId");
        var status = ApiInput.OptionalEnum<ConsumptionStatus>(NullIfEmpty(q["status"]), "status");
        var channel = ApiInput.OptionalEnum<Channel>(NullIfEmpty(q["channel"]), "channel");
        var limit = ApiPaging.Limit(http.Request);
        var after = ApiInput.QueryLong(q["after"], "after", 0);
        if (listId is { } l && (await queries.GetListsAsync(accountId, http.RequestAborted)).All(x => x.Id != l))
            throw new LedgerNotFoundException($"List {l}");

        var page = await queries.GetConsumptionsAsync(accountId, new ConsumptionFilter(from, to, listId, status, channel), after, limit,
            http.RequestAborted);
        var items = page.Items
            .Select(c => new ConsumptionItem(c.Id, c.At, c.Channel, c.ListId, c.Quantity, c.Credits, c.Status, c.Reason, c.Reference, c.Country))
            .ToList();
        var next = page.NextAfterId is { } nextAfter ? ApiPaging.NextUrl(http.Request, nextAfter.ToString(CultureInfo.InvariantCulture)) : null;
        return TypedResults.Json(new PageAnswer<ConsumptionItem>(items, next), ApiJsonContext.Wire.PageAnswerConsumptionItem);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
