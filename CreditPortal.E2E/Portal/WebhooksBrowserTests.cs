using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.Tests.Webhooks;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>The demo app with a support key and a dispatcher that reads events as soon as the manual clock passed them.</summary>
public sealed class DemoAppForWebhooksFixture : PortalAppFixture
{
    protected override PortalAppOptions Options => new()
    {
        ManualClockStart = DemoAccount.Now,
        Settings = new Dictionary<string, string>
        {
            ["Bootstrap:SupportApiKey"] = DemoAppWithSupportKeyFixture.SupportKey,
            ["Webhooks:Settle"] = "00:00:00",
            ["Webhooks:Poll"] = "00:00:00.200",
        },
    };
}

/// <summary>
/// Issue #17's webhooks as the owner meets them: two endpoints on a real local receiver, one answering 200 and one 500, a
/// send delivered to both, and the Webhooks page's delivery log saying which arrived and which is retried.
/// </summary>
public sealed class WebhooksBrowserTests(BrowserFixture browser, DemoAppForWebhooksFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppForWebhooksFixture>
{
    [Fact]
    public async Task The_delivery_log_shows_what_each_endpoint_answered()
    {
        var id = await DemoAccount.IdAsync(App);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status["/orders-down"] = 500;
        using (var support = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) })
        {
            support.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoAppWithSupportKeyFixture.SupportKey);
            foreach (var path in new[] { "/creditportal-events", "/orders-down" })
            {
                var created = await support.PostAsJsonAsync($"api/v1/accounts/{id}/webhooks",
                    new { url = receiver.Url(path), events = new[] { "consumption.accepted", "alert.LowBalance15" } });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            var lists = JsonNode.Parse(await support.GetStringAsync($"api/v1/accounts/{id}/lists"))!.AsArray();
            var newsletter = (long)lists.Single(l => (string)l!["name"]! == "Newsletter")!["id"]!;
            var sent = await support.PostAsJsonAsync($"api/v1/accounts/{id}/consumptions",
                new { channel = "Email", listId = newsletter, quantity = 1_200, idempotencyKey = "e2e-webhook-send", reference = "Black Friday teaser" });
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            // The dispatcher reads events once the clock has passed them: a minute on.
            var moved = await support.PutAsJsonAsync("api/v1/clock",
                new { now = DemoAccount.Now.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture) });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (receiver.On("/creditportal-events").Count == 0 || receiver.On("/orders-down").Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "both endpoints got the delivery");
            await Task.Delay(100);
        }

        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/webhooks", "webhooks");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Webhooks");
        await Expect(Page.Locator("tr.webhook-row")).ToHaveCountAsync(2);
        var rows = Page.Locator("tr.webhook-delivery-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "/creditportal-events" }).GetByTestId("delivery-state")).ToContainTextAsync("200 · delivered");
        await Expect(rows.Filter(new() { HasText = "/orders-down" }).GetByTestId("delivery-state")).ToContainTextAsync("500 · will try again");
        await Expect(rows.First.GetByTestId("delivery-event-id")).ToHaveTextAsync(receiver.On("/creditportal-events")[0].EventId!);
        await AssertAccessibleAsync("webhooks with deliveries");
        await Artifacts.ScreenshotAsync(Page.GetByTestId("webhook-activity"), "webhook-log");

        // Resend the delivered one: the receiver gets the same event again.
        await rows.Filter(new() { HasText = "/creditportal-events" }).GetByTestId("delivery-resend").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync("The delivery will be sent again.");
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (receiver.On("/creditportal-events").Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the resent delivery arrived");
            await Task.Delay(100);
        }
        Assert.Equal(receiver.On("/creditportal-events")[0].EventId, receiver.On("/creditportal-events")[1].EventId);
    }
}
