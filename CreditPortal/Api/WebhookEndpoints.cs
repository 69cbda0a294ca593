using System.Globalization;
using System.Text.Json.Serialization;
using CreditPortal.Webhooks;

namespace CreditPortal.Api;

public sealed record WebhookBody(string? Url, List<string?>? Events);

public sealed record WebhookAnswer(long Id, string Url, IReadOnlyList<string> Events, string SecretPrefix, bool Enabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisabledReason, DateTimeOffset CreatedAt, string CreatedBy,
    int Pending, int Failed);

/// <summary>The answer to a registration: the endpoint and its secret, shown this once.</summary>
public sealed record CreatedWebhookAnswer(long Id, string Url, IReadOnlyList<string> Events, string Secret, bool Enabled, DateTimeOffset CreatedAt);

public sealed record WebhookDeliveryAnswer(long Id, string EventId, string EventType, DateTimeOffset EventAt, string State, int Attempts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LastStatusCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? LastAttemptAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? NextAttemptAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DeliveredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? GivenUpAt);

/// <summary>Issue #17: the account's webhook endpoints and their delivery log (manage scope; docs/api.md).</summary>
public static class WebhookEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapGet("/webhooks", ListAsync)
            .RequireManageScope()
            .Produces<List<WebhookAnswer>>();
        account.MapPost("/webhooks", CreateAsync)
            .RequireManageScope()
            .RequireRateLimiting(Security.SecurityServiceCollectionExtensions.CreationPolicy)
            .JsonBody<WebhookBody>()
            .Produces<CreatedWebhookAnswer>(StatusCodes.Status201Created)
            .WithSummary("Registers an endpoint {url, events}; `secret` (to verify CreditPortal-Signature) is shown this once.");
        account.MapDelete("/webhooks/{webhookId:long}", DeleteAsync)
            .RequireManageScope()
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("Deletes the endpoint and its delivery log; nothing more is sent to it.");
        account.MapGet("/webhooks/{webhookId:long}/deliveries", DeliveriesAsync)
            .RequireManageScope()
            .Produces<PageAnswer<WebhookDeliveryAnswer>>()
            .WithSummary("The endpoint's deliveries, newest first, paged: follow `next` (limit 1-1000, default 100).");
        account.MapPost("/webhooks/{webhookId:long}/deliveries/{deliveryId:long}/resend", ResendAsync)
            .RequireManageScope()
            .Produces(StatusCodes.Status202Accepted)
            .WithSummary("Sends the delivery again (same event id and body), with a fresh 24 hours of retries.");
    }

    private static async Task<IResult> ListAsync(HttpContext http, long accountId, WebhookService webhooks)
    {
        var list = await webhooks.ListAsync(accountId, http.RequestAborted);
        return TypedResults.Json(list.Select(e => new WebhookAnswer(e.Id, e.Url, e.Events, e.SecretPrefix, e.Enabled, e.DisabledReason, e.CreatedAt,
            e.CreatedBy, e.Pending, e.Failed)).ToList(), ApiJsonContext.Wire.ListWebhookAnswer);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, long accountId, WebhookService webhooks)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.WebhookBody);
        var created = await webhooks.CreateAsync(accountId, body.Url, body.Events, ApiCaller.Of(http).Actor, http.RequestAborted);
        var e = created.Endpoint;
        return TypedResults.Json(new CreatedWebhookAnswer(e.Id, e.Url, e.Events, created.Secret, e.Enabled, e.CreatedAt),
            ApiJsonContext.Wire.CreatedWebhookAnswer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, long accountId, long webhookId, WebhookService webhooks)
    {
        await webhooks.DeleteAsync(accountId, webhookId, ApiCaller.Of(http).Actor, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeliveriesAsync(HttpContext http, long accountId, long webhookId, WebhookService webhooks)
    {
        var limit = ApiPaging.Limit(http.Request);
        var before = ApiInput.QueryLong(http.Request.Query["after"], "after");
        var page = await webhooks.DeliveriesBeforeAsync(accountId, webhookId, before, limit + 1, http.RequestAborted);
        var items = page.Take(limit).Select(d => new WebhookDeliveryAnswer(d.Id, d.EventId, d.EventType, d.EventAt, d.State, d.Attempts, d.LastStatusCode,
            d.LastError, d.LastAttemptAt, d.NextAttemptAt, d.DeliveredAt, d.GivenUpAt)).ToList();
        var next = page.Count > limit ? ApiPaging.NextUrl(http.Request, items[^1].Id.ToString(CultureInfo.InvariantCulture)) : null;
        return TypedResults.Json(new PageAnswer<WebhookDeliveryAnswer>(items, next), ApiJsonContext.Wire.PageAnswerWebhookDeliveryAnswer);
    }

    private static async Task<IResult> ResendAsync(HttpContext http, long accountId, long webhookId, long deliveryId, WebhookService webhooks)
    {
        var page = await webhooks.DeliveriesBeforeAsync(accountId, webhookId, deliveryId + 1, 1, http.RequestAborted);
        if (page.Count == 0 || page[0].Id != deliveryId) throw new Ledger.LedgerNotFoundException($"Webhook delivery {deliveryId}");
        await webhooks.ResendAsync(accountId, deliveryId, ApiCaller.Of(http).Actor, http.RequestAborted);
        return TypedResults.Accepted((string?)null);
    }
}
