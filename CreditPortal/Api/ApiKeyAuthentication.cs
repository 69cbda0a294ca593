using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CreditPortal.Api;

public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme of the API: <c>Authorization: Bearer &lt;api key&gt;</c>.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The authorization policy every API endpoint requires: a valid key through <see cref="Scheme"/> only
    /// (a portal login cookie does not open the API, so there is nothing for another site to forge).</summary>
    public const string Policy = "CreditPortalApi";
}

/// <summary>The identity of a request made with an API key.</summary>
public sealed class ApiKeyIdentity(ApiKeyInfo key) : ClaimsIdentity(ApiKeyDefaults.Scheme)
{
    public ApiKeyInfo Key { get; } = key;

    public override string Name => Key.Actor.ToString();
}

/// <summary>
/// Bearer API keys. Unknown, revoked or missing key: 401 as problem+json (never a redirect to the
/// login page). The key lookup is cached by <see cref="ApiKeyService"/>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyService keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("Not a bearer token.");
        var key = await keys.AuthenticateAsync(header.AsSpan(Bearer.Length).Trim());
        if (key is null) return AuthenticateResult.Fail("Unknown or revoked API key.");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ApiKeyIdentity(key)), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            result.Failure is null
                ? "An API key is required: Authorization: Bearer <api key>."
                : "The API key is not valid (unknown or revoked).",
            "unauthorized");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "This API key may not do this.", "forbidden");
}

/// <summary>The API key behind the current request (the API's endpoints only run authenticated).</summary>
public static class ApiCaller
{
    public static ApiKeyInfo Of(HttpContext http)
        => (http.User.Identity as ApiKeyIdentity)?.Key ?? throw new InvalidOperationException("The API endpoint ran without an API key.");
}
