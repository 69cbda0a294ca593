using System.Text.Json.Serialization;
using CreditPortal.Ledger;

namespace CreditPortal.Api;

public sealed record AlertAnswer(DateTimeOffset At, Channel Channel, AlertKind Kind, string Detail);

public sealed record LedgerEntryAnswer(
    long Id,
    DateTimeOffset At,
    Channel Channel,
    LedgerEntryKind Kind,
    long Quantity,
    long AssignedDelta,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LotId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ListId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ConsumptionId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? OrderId,
    string Actor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long HeldDelta = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? HoldId = null);

public sealed record AuditAnswer(DateTimeOffset At, string Actor, string Action, string? Before, string? After, string? Reason);

/// <summary>What happened to an account: alerts (R10), ledger entries, and the audit trail (R11, support key).</summary>
public static class HistoryEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapGet("/alerts", AlertsAsync)
            .Produces<PageAnswer<AlertAnswer>>()
            .WithSummary("Alerts, newest first, paged: follow `next` until it is null (limit 1-1000, default 100).");
        account.MapGet("/ledger", LedgerAsync)
            .Produces<PageAnswer<LedgerEntryAnswer>>()
            .WithSummary("Every balance movement, oldest first, paged: follow `next`. channel, from/to (local dates YYYY-MM-DD, inclusive) filter.");
        account.MapGet("/audit", AuditAsync)
            .RequireSupportKey()
            .Produces<PageAnswer<AuditAnswer>>()
            .WithSummary("Support key: who changed what, before → after, and why (R11); newest first, paged: follow `next`.");
    }

    private static async Task<IResult> AlertsAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var page = await queries.GetAlertsAsync(accountId, ApiPaging.HistoryPage(http.Request), http.RequestAborted);
        var items = page.Items.Select(a => new AlertAnswer(a.At, a.Channel, a.Kind, a.Detail)).ToList();
        return TypedResults.Json(new PageAnswer<AlertAnswer>(items, ApiPaging.NextUrl(http.Request, page.Next)), ApiJsonContext.Wire.PageAnswerAlertAnswer);
    }

    private static async Task<IResult> LedgerAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var q = http.Request.Query;
        var channel = ApiInput.OptionalEnum<Channel>(string.IsNullOrEmpty(q["channel"]) ? null : q["channel"].ToString(), "channel");
        var (from, to) = ApiInput.DateRange(q["from"], q["to"]);
        var page = await queries.GetLedgerAsync(accountId, new LedgerFilter(channel, from, to), ApiPaging.HistoryPage(http.Request), http.RequestAborted);
        var items = page.Items.Select(e => new LedgerEntryAnswer(e.Id, e.At, e.Channel, e.Kind, e.Quantity, e.AssignedDelta, e.LotId,
            e.ListId, e.ConsumptionId, e.OrderId, e.Actor, e.Reason, e.Detail, e.HeldDelta, e.HoldId)).ToList();
        return TypedResults.Json(new PageAnswer<LedgerEntryAnswer>(items, ApiPaging.NextUrl(http.Request, page.Next)),
            ApiJsonContext.Wire.PageAnswerLedgerEntryAnswer);
    }

    private static async Task<IResult> AuditAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var page = await queries.GetAuditAsync(accountId, ApiPaging.HistoryPage(http.Request), http.RequestAborted);
        var items = page.Items.Select(a => new AuditAnswer(a.At, a.Actor, a.Action, a.Before, a.After, a.Reason)).ToList();
        return TypedResults.Json(new PageAnswer<AuditAnswer>(items, ApiPaging.NextUrl(http.Request, page.Next)), ApiJsonContext.Wire.PageAnswerAuditAnswer);
    }
}
