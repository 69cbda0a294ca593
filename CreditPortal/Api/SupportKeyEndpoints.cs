using CreditPortal.Ledger;
using CreditPortal.Security;

namespace CreditPortal.Api;

public sealed record SecurityEventAnswer(long Id, DateTimeOffset At, string Kind, string? Email, long? AccountId, string? Ip, string? Actor, string? Detail);

/// <summary>
/// Support keys (issue #12): <c>/api/v1/support-keys</c> creates (named; the key is in the 201 answer only), lists and
/// revokes them; their creation and revocation are in the security log. <c>/api/v1/security-log</c> is that log, all of
/// it, for support; <c>/api/v1/accounts/{id}/security-log</c> is one account's lines.
/// </summary>
public static class SupportKeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/support-keys", CreateAsync)
            .RequireSupportKey()
            .RequireRateLimiting(SecurityServiceCollectionExtensions.CreationPolicy)
            .JsonBody<NameBody>("name")
            .Produces<CreatedKeyAnswer>(StatusCodes.Status201Created)
            .WithSummary("Support key: creates a support key named after the person or script it belongs to; `key` is shown this once.");
        api.MapGet("/support-keys", ListAsync)
            .RequireSupportKey()
            .Produces<List<ApiKeyAnswer>>()
            .WithSummary("Support key: every support key, revoked ones included (prefix only).");
        api.MapDelete("/support-keys/{keyId:long}", RevokeAsync)
            .RequireSupportKey()
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("Support key: revokes a support key at once (its next request is 401).");
        api.MapGet("/security-log", ReadAllAsync)
            .RequireSupportKey()
            .Produces<List<SecurityEventAnswer>>()
            .WithSummary("Support key: the security log, newest first (`limit` ≤ 200, `before` an id for the next page).");
    }

    public static void MapAccount(RouteGroupBuilder account)
    {
        account.MapGet("/security-log", ReadAccountAsync)
            .Produces<List<SecurityEventAnswer>>()
            .WithSummary("The security log lines of the account's logins, newest first (`limit` ≤ 200, `before`).");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ApiKeyService keys)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.NameBody);
        var created = await keys.CreateSupportKeyAsync(Validate.Text(body.Name, "name", 100), ApiCaller.Of(http).Actor, http.RequestAborted);
        return TypedResults.Json(new CreatedKeyAnswer(created.Info.Id, created.Key, created.Info.Name, created.Info.Prefix, ApiScopes.All),
            ApiJsonContext.Wire.CreatedKeyAnswer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ApiKeyService keys)
    {
        var list = await keys.ListAsync(null, http.RequestAborted);
        return TypedResults.Json(list.Select(k => new ApiKeyAnswer(k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt, ApiScopes.All)).ToList(),
            ApiJsonContext.Wire.ListApiKeyAnswer);
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, long keyId, ApiKeyService keys)
    {
        await keys.RevokeAsync(keyId, null, ApiCaller.Of(http).Actor, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static Task<IResult> ReadAllAsync(HttpContext http, SecurityLog log) => ReadAsync(http, log, null);

    private static Task<IResult> ReadAccountAsync(HttpContext http, long accountId, SecurityLog log) => ReadAsync(http, log, accountId);

    private static async Task<IResult> ReadAsync(HttpContext http, SecurityLog log, long? accountId)
    {
        var limit = Number(http, "limit") ?? 100;
        var before = Number(http, "before");
        var lines = await log.ReadAsync(accountId, (int)Math.Clamp(limit, int.MinValue, int.MaxValue), before, http.RequestAborted);
        return TypedResults.Json(lines.Select(e => new SecurityEventAnswer(e.Id, e.At, e.Kind, e.Email, e.AccountId, e.Ip, e.Actor, e.Detail)).ToList(),
            ApiJsonContext.Wire.ListSecurityEventAnswer);
    }

    private static long? Number(HttpContext http, string name)
    {
        var text = http.Request.Query[name].ToString();
        if (text.Length == 0) return null;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new LedgerValidationException(name, $"{name} must be a whole number.");
    }
}
