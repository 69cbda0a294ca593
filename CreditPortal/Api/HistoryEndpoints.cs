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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);

public sealed record AuditAnswer(DateTimeOffset At, string Actor, string Action, string? Before, string? After, string? Reason);

/// <summary>What happened to an account: alerts (R10), ledger entries, and the audit trail (R11, support key).</summary>
public static class HistoryEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapGet("/alerts", AlertsAsync)
            .Produces<List<AlertAnswer>>()
            .WithSummary("Alerts, newest first.");
        account.MapGet("/ledger", LedgerAsync)
            .Produces<List<LedgerEntryAnswer>>()
            .WithSummary("Every balance movement, oldest first; channel, from/to (local dates YYYY-MM-DD, inclusive) filter.");
        account.MapGet("/audit", AuditAsync)
            .RequireSupportKey()
            .Produces<List<AuditAnswer>>()
            .WithSummary("Support key: who changed what, before → after, and why (R11).");
    }

    private static async Task<IResult> AlertsAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var alerts = await queries.GetAlertsAsync(accountId, http.RequestAborted);
        return TypedResults.Json(alerts.Select(a => new AlertAnswer(a.At, a.Channel, a.Kind, a.Detail)).ToList(),
            ApiJsonContext.Wire.ListAlertAnswer);
    }

    private static async Task<IResult> LedgerAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var q = http.Request.Query;
        var channel = ApiInput.OptionalEnum<Channel>(string.IsNullOrEmpty(q["channel"]) ? null : q["channel"].ToString(), "channel");
        var (from, to) = ApiInput.DateRange(q["from"], q["to"]);
        var entries = await queries.GetLedgerAsync(accountId, channel, from, to, http.RequestAborted);
        return TypedResults.Json(entries.Select(e => new LedgerEntryAnswer(e.Id, e.At, e.Channel, e.Kind, e.Quantity, e.AssignedDelta, e.LotId,
                e.ListId, e.ConsumptionId, e.OrderId, e.Actor, e.Reason, e.Detail)).ToList(),
            ApiJsonContext.Wire.ListLedgerEntryAnswer);
    }

    private static async Task<IResult> AuditAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var audit = await queries.GetAuditAsync(accountId, http.RequestAborted);
        return TypedResults.Json(audit.Select(a => new AuditAnswer(a.At, a.Actor, a.Action, a.Before, a.After, a.Reason)).ToList(),
            ApiJsonContext.Wire.ListAuditAnswer);
    }
}
