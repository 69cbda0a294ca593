namespace CreditPortal.Security;

/// <summary>
/// Response headers that close common browser attack paths. The CSP fits Blazor Server: scripts only
/// from this origin (blazor.web.js, MudBlazor.min.js, the layout's JS module; Radzen.Blazor.js while pages still use
/// it), the circuit's WebSocket to this origin, inline styles allowed because MudBlazor's theme is a style element and
/// its components set style attributes, and no framing at all.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        await next();
    });
}
