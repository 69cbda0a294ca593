using System.Net;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Security;

/// <summary>Issue #12, "Secrets and transport", on the real app.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task Production_BehindATlsProxy_SendsHsts_WhileThePlainLoopbackListenerAnswersWithoutRedirects()
    {
        using var database = new TempDatabase("transport");
        await using var server = await PortalServer.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ForwardedHeaders:Enabled"] = "true",
        });
        using var client = server.CreateClient();

        // Plain HTTP on loopback (tests, benchmarks, a proxy's upstream): answered, not redirected, no HSTS.
        var plain = await client.GetAsync("account/login");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));

        // The same listener reached through a TLS-terminating proxy on loopback: the original scheme is HTTPS.
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "account/login");
        proxied.Headers.Host = "portal.example.test";
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var secure = await client.SendAsync(proxied);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Contains("max-age=31536000", string.Join(",", secure.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task ARestart_KeepsPeopleLoggedIn_BecauseTheKeyRingIsInTheDatabase()
    {
        using var database = new TempDatabase("keyring");
        var created = await AppCommand.RunAsync(database.ConnectionString, "Development", "add-support-user", "keys@provider.test");
        Assert.Equal(0, created.ExitCode);
        var oneTime = System.Text.RegularExpressions.Regex.Match(created.Output, @"^password: (\S+)$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;

        var cookies = new CookieContainer();
        await using (var first = await PortalServer.StartAsync(database.ConnectionString))
        {
            using var client = first.CreateClient(cookies: cookies);
            Assert.Equal(HttpStatusCode.Redirect, (await PortalLogin.PostLoginAsync(client, "keys@provider.test", oneTime)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await PortalLogin.PostPasswordChangeAsync(client, oneTime, "Keys#Chosen2026")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("support")).StatusCode);
        }

        await using (var db = database.CreateContext())
            Assert.NotEmpty(db.DataProtectionKeys);

        // A new process (a deploy, a new container): the same cookie still opens the portal.
        await using var second = await PortalServer.StartAsync(database.ConnectionString);
        using var again = second.CreateClient(cookies: cookies);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("support")).StatusCode);
    }
}
