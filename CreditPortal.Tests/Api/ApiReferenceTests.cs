using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>Issue #12: the interactive API reference (Scalar) over the app's own OpenAPI document.</summary>
public sealed class ApiReferenceTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task TheApiReference_IsServedAtApiReference_OverTheOpenApiDocument_WithoutALogin()
    {
        using var anonymous = app.Anonymous();
        var bare = await anonymous.GetAsync("api/reference");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode); // to api/reference/, whose page loads its files relatively
        var page = await anonymous.GetAsync("api/reference/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("CreditPortal API", html);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("api/reference/scalar.js")).StatusCode);

        // What it reads: the document, which lists the support-key endpoints too.
        var document = await anonymous.GetStringAsync("openapi/v1.json");
        Assert.Contains("/api/v1/support-keys", document);
        Assert.Contains("/api/v1/security-log", document);

        // Its own CSP: the page may start itself inline, but still talks to this origin only and is never framed.
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("connect-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
    }
}
