using System.Net;
using System.Net.Http.Headers;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Security;

/// <summary>Issue #12: changing <c>Bootstrap:SupportApiKey</c> is how an operator replaces a leaked key.</summary>
public sealed class BootstrapKeyTests
{
    private const string First = "first-bootstrap-key-0123456789abcdef";
    private const string Second = "second-bootstrap-key-0123456789abcdef";

    private static async Task<HttpStatusCode> AccountsAsync(PortalServer server, string key)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (await client.GetAsync("api/v1/accounts")).StatusCode;
    }

    [Fact]
    public async Task ANewBootstrapKey_RevokesThePreviousOne()
    {
        using var database = new TempDatabase("bootstrap");
        await using (var first = await PortalServer.StartAsync(database.ConnectionString, new Dictionary<string, string> { ["Bootstrap:SupportApiKey"] = First }))
            Assert.Equal(HttpStatusCode.OK, await AccountsAsync(first, First));

        await using var second = await PortalServer.StartAsync(database.ConnectionString, new Dictionary<string, string> { ["Bootstrap:SupportApiKey"] = Second });
        Assert.Equal(HttpStatusCode.OK, await AccountsAsync(second, Second));
        Assert.Equal(HttpStatusCode.Unauthorized, await AccountsAsync(second, First));

        await using var db = database.CreateContext();
        Assert.Contains(db.SecurityEvents, e => e.Kind == "support-key.revoked" && e.Detail!.Contains("Bootstrap:SupportApiKey changed"));
    }
}
