using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditPortal.Api;

/// <summary>Every error answer of the API, so the same status always looks the same.</summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static JsonHttpResult<ApiProblem> Result(int status, string detail, string? code = null,
        IReadOnlyDictionary<string, string[]>? errors = null)
        => TypedResults.Json(Create(status, detail, code, errors), ApiJsonContext.Wire.ApiProblem, ContentType, status);

    public static ApiProblem Create(int status, string detail, string? code = null, IReadOnlyDictionary<string, string[]>? errors = null)
        => new(TypeOf(status), TitleOf(status), status, detail, code, errors);

    public static JsonHttpResult<ApiProblem> BadRequest(string field, string message, string? code = null)
        => Result(StatusCodes.Status400BadRequest, message, code, new Dictionary<string, string[]> { [field] = [message] });

    public static JsonHttpResult<ApiProblem> NotFound(string detail) => Result(StatusCodes.Status404NotFound, detail);

    /// <summary>The same answer whether the account does not exist or is someone else's, so ids cannot be probed.</summary>
    public static JsonHttpResult<ApiProblem> AccountNotFound(long accountId) => NotFound($"Account {accountId} was not found.");

    public static JsonHttpResult<ApiProblem> SupportOnly()
        => Result(StatusCodes.Status403Forbidden, "This endpoint needs a support API key.", "support_key_required");

    /// <summary>Sets <c>Retry-After</c> in whole seconds (at least 1): the one place every 429 and 503 says when to come back.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan after)
        => response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes a problem outside an endpoint (authentication challenge, forbidden).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string detail, string? code = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, Create(status, detail, code),
            ApiJsonContext.Wire.ApiProblem, context.RequestAborted);
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        402 => "Payment required",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Payload too large",
        422 => "Unprocessable entity",
        503 => "Service unavailable",
        _ => status >= 500 ? "Server error" : "Error",
    };

    private static string TypeOf(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        402 => "https://tools.ietf.org/html/rfc9110#section-15.5.3",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };
}
