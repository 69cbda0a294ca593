using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Security;

public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task EveryResponse_CarriesTheCspNosniffAndNoFraming()
    {
        using var database = new TempDatabase("headers");
        await using var server = await PortalServer.StartAsync(database.ConnectionString);
        using var client = server.CreateClient();

        foreach (var path in new[] { "account/login", "health", "", "accounts/1/balance", "no-such-page" })
        {
            var response = await client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            // The circuit's WebSocket goes to this origin only ('self'), never to any ws: host.
            Assert.Contains("connect-src 'self';", csp);
            Assert.DoesNotContain("ws:", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        }
    }
}
