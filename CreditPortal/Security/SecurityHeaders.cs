using Microsoft.AspNetCore.StaticAssets;

namespace CreditPortal.Security;

/// <summary>
/// Response headers that close common browser attack paths. The CSP fits Blazor Server: scripts only
/// from this origin (blazor.web.js, MudBlazor.min.js, the layout's JS module), the circuit's WebSocket to this origin only ('self' covers ws/wss of the same host), inline styles allowed
/// because MudBlazor's theme is a style element and its components set style attributes, and no framing at all.
/// Signed-in pages and API answers are never stored by a browser or proxy (Cache-Control: no-store): a shared
/// computer's back button or a proxy must not show one person's credits to the next.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The API reference page (Scalar) starts itself with an inline script. It shows only the public OpenAPI document,
    /// holds no session (the API takes keys, never the cookie) and still may not connect anywhere but here.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(Api.ApiServiceCollectionExtensions.ApiReferencePath)
                ? ApiReferencePolicy
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            if (IsPrivate(context)) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next();
    });

    /// <summary>An API answer, or anything a signed-in person gets except the public static files.</summary>
    private static bool IsPrivate(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null) return false;
        return context.Request.Path.StartsWithSegments("/api") || context.User.Identity?.IsAuthenticated == true;
    }
}
