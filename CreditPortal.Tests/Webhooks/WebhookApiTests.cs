using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Tests.Api;
using CreditPortal.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Webhooks;

/// <summary>Registering endpoints over the API: the https rule, bad input naming its field, and other accounts' endpoints.</summary>
public sealed class WebhookApiTests
{
    [Fact]
    public async Task OnlyHttpsUrls_AreAccepted_WhenHttpIsNotAllowed_AndBadInputChangesNothing()
    {
        await using var app = new WebhookTestApp(new() { ["Webhooks:AllowHttp"] = "false" });
        var (account, _) = await app.AccountAsync("Https Co", credits: 0);
        using var support = app.Support();
        var path = $"api/v1/accounts/{account}/webhooks";
        foreach (var url in new[] { "http://example.com/hook", "ftp://example.com/hook", "example.com/hook", "", "https://user:pw@example.com/hook",
                     "https://example.com/" + new string('a', 2001) })
        {
            var problem = await support.PostJsonAsync(path, new JsonObject { ["url"] = url, ["events"] = new JsonArray("consumption.accepted") }.ToJsonString(),
                HttpStatusCode.BadRequest);
            CreditPortal.Tests.Api.Api.AssertProblem(problem, 400, "url");
        }
        var badEvents = await support.PostJsonAsync(path, """{"url":"https://example.com/hook","events":["consumption.sent"]}""", HttpStatusCode.BadRequest);
        CreditPortal.Tests.Api.Api.AssertProblem(badEvents, 400, "events");
        var noEvents = await support.PostJsonAsync(path, """{"url":"https://example.com/hook","events":[]}""", HttpStatusCode.BadRequest);
        CreditPortal.Tests.Api.Api.AssertProblem(noEvents, 400, "events");
        Assert.Empty((await support.GetJsonAsync(path)).AsArray());

        var created = await support.PostJsonAsync(path, """{"url":"https://example.com/hook","events":["consumption.rejected","alert.Depleted"]}""");
        Assert.Equal("https://example.com/hook", (string)created["url"]!);
        var listed = Assert.Single((await support.GetJsonAsync(path)).AsArray())!;
        Assert.Equal(["alert.Depleted", "consumption.rejected"], listed["events"]!.AsArray().Select(e => (string)e!).Order().ToArray());
        Assert.Null(listed["secret"]); // shown once, at creation
        Assert.StartsWith("whsec_", (string)listed["secretPrefix"]!);

        // The secret is stored encrypted, not as given.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContextAsync();
        var stored = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.AccountId == account);
        Assert.DoesNotContain((string)created["secret"]!, stored.ProtectedSecret);
        Assert.Equal((string)created["secret"]!, app.Services.GetRequiredService<WebhookSecrets>().Unprotect(stored.ProtectedSecret));
    }

    [Fact]
    public async Task AnotherAccountsEndpointsAndDeliveries_AreNotFound()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookTestApp();
        var (a, _) = await app.AccountAsync("Owner A", credits: 0);
        var (b, listB) = await app.AccountAsync("Owner B");
        var (endpointB, _) = await app.RegisterAsync(b, receiver.Url("/b"), "consumption.accepted");
        await app.SendAsync(b, listB, 10, "b-1");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/b").Count == 1, "B's delivery");
        var deliveryB = (await app.DeliveriesAsync(endpointB)).Single().Id;

        using var support = app.Support();
        using var keyA = app.As(await support.CreateKeyAsync(a));
        await keyA.GetJsonAsync($"api/v1/accounts/{b}/webhooks", HttpStatusCode.NotFound);
        await keyA.GetJsonAsync($"api/v1/accounts/{b}/webhooks/{endpointB}/deliveries", HttpStatusCode.NotFound);
        // B's ids under A's own path: not found either, and nothing changes.
        await keyA.GetJsonAsync($"api/v1/accounts/{a}/webhooks/{endpointB}/deliveries", HttpStatusCode.NotFound);
        await keyA.PostJsonAsync($"api/v1/accounts/{a}/webhooks/{endpointB}/deliveries/{deliveryB}/resend", "{}", HttpStatusCode.NotFound);
        await keyA.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{a}/webhooks/{endpointB}", null, HttpStatusCode.NotFound);
        Assert.Empty((await keyA.GetJsonAsync($"api/v1/accounts/{a}/webhooks")).AsArray());
        var service = app.Services.GetRequiredService<WebhookService>();
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => service.ResendAsync(a, deliveryB, Actor.Owner("a@owner.test")));
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => service.DeleteAsync(a, endpointB, Actor.Owner("a@owner.test")));
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => service.DeliveriesAsync(a, endpointB, 0, 10));

        Assert.Single(await app.DeliveriesAsync(endpointB));
        Assert.True((await app.EndpointAsync(endpointB)).Enabled);
        await Task.Delay(300);
        Assert.Single(receiver.On("/b"));

        // B's own key sees its log, and deletes its endpoint (audited).
        using var keyB = app.As(await support.CreateKeyAsync(b));
        var page = await keyB.GetJsonAsync($"api/v1/accounts/{b}/webhooks/{endpointB}/deliveries");
        var item = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal("Delivered", (string)item["state"]!);
        Assert.Equal(200, (int)item["lastStatusCode"]!);
        await keyB.SendJsonAsync(HttpMethod.Delete, $"api/v1/accounts/{b}/webhooks/{endpointB}", null, HttpStatusCode.NoContent);
        Assert.Empty((await keyB.GetJsonAsync($"api/v1/accounts/{b}/webhooks")).AsArray());
        Assert.Contains(await support.GetItemsAsync($"api/v1/accounts/{b}/audit"), e => (string)e!["action"]! == "webhook.deleted");
    }
}
