using System.Text.Json.Serialization;
using CreditPortal.Ledger;

namespace CreditPortal.Api;

public sealed record CreateKeyBody(string? Name, List<string?>? Scopes, long? MonthlyCreditCap = null);

/// <summary>Issue #17: the key's monthly credit cap; null removes it.</summary>
public sealed record KeyCapBody(long? MonthlyCreditCap);

public sealed record CreatedKeyAnswer(long Id, string Key, string Name, string Prefix, IReadOnlyList<string> Scopes, long? MonthlyCreditCap = null);

public sealed record ApiKeyAnswer(
    long Id,
    string Name,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? RevokedAt,
    IReadOnlyList<string> Scopes,
    long? MonthlyCreditCap = null,
    long CreditsThisMonth = 0);

/// <summary>Support: an account's API keys. The key itself is in the 201 answer only; lists show its prefix.</summary>
public static class ApiKeyEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPost("/api-keys", CreateAsync)
            .RequireSupportKey()
            .RequireRateLimiting(Security.SecurityServiceCollectionExtensions.CreationPolicy)
            .JsonBody<CreateKeyBody>()
            .Produces<CreatedKeyAnswer>(StatusCodes.Status201Created)
            .WithSummary("Support key: creates an account key with scopes [\"send\"] (the default) or [\"send\",\"manage\"] and an optional monthlyCreditCap; `key` is shown this once.");
        account.MapPut("/api-keys/{keyId:long}/monthly-credit-cap", SetCapAsync)
            .RequireSupportKey()
            .JsonBody<KeyCapBody>()
            .Produces<ApiKeyAnswer>()
            .WithSummary("Support key: sets the key's monthly credit cap (null removes it); a send past it is rejected with key_cap.");
        account.MapGet("/api-keys", ListAsync)
            .RequireSupportKey()
            .Produces<List<ApiKeyAnswer>>();
        account.MapDelete("/api-keys/{keyId:long}", RevokeAsync)
            .RequireSupportKey()
            .Produces(StatusCodes.Status204NoContent)
            .WithSummary("Support key: revokes the key at once (its next request is 401).");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, long accountId, ApiKeyService keys)
    {
        // The body is optional here ({name?, scopes?}); an empty one means "no name, send only".
        var body = await ApiBody.ReadOptionalAsync(http, ApiJsonContext.Wire.CreateKeyBody);
        var scopes = ApiScopes.Parse(body?.Scopes);
        var created = await keys.CreateForAccountAsync(accountId, Validate.OptionalText(body?.Name, "name", 100), scopes, ApiCaller.Of(http).Actor,
            http.RequestAborted, body?.MonthlyCreditCap);
        return TypedResults.Json(new CreatedKeyAnswer(created.Info.Id, created.Key, created.Info.Name, created.Info.Prefix, created.Info.Scopes,
                created.Info.MonthlyCreditCap),
            ApiJsonContext.Wire.CreatedKeyAnswer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> SetCapAsync(HttpContext http, long accountId, long keyId, ApiKeyService keys)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.KeyCapBody);
        await keys.SetMonthlyCreditCapAsync(keyId, accountId, body.MonthlyCreditCap, ApiCaller.Of(http).Actor, http.RequestAborted);
        var key = (await keys.ListAsync(accountId, http.RequestAborted)).Single(k => k.Id == keyId);
        return TypedResults.Json(Answer(key), ApiJsonContext.Wire.ApiKeyAnswer);
    }

    private static ApiKeyAnswer Answer(ApiKeyView k)
        => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.Scopes, k.MonthlyCreditCap, k.CreditsThisMonth);

    private static async Task<IResult> ListAsync(HttpContext http, long accountId, ApiKeyService keys)
    {
        var list = await keys.ListAsync(accountId, http.RequestAborted);
        return TypedResults.Json(list.Select(Answer).ToList(),
            ApiJsonContext.Wire.ListApiKeyAnswer);
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, long accountId, long keyId, ApiKeyService keys)
    {
        await keys.RevokeAsync(keyId, accountId, ApiCaller.Of(http).Actor, http.RequestAborted);
        return TypedResults.NoContent();
    }
}
