using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CreditPortal.Ledger;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Webhooks;

/// <summary>
/// Issue #17 webhooks against a real local HTTP receiver (Kestrel on a loopback port): signed deliveries that arrive once, retries
/// with growing delays until 24 hours, nothing lost across a restart, resend with the same event id, isolation of a receiver that
/// hangs, the https rule and other accounts' endpoints. Each test has its own app, database and manual clock.
/// </summary>
public sealed class WebhookDeliveryTests
{
    /// <summary>The receiver's own check, written out here rather than calling the app's code: HMAC-SHA256 over "t.body".</summary>
    private static bool ReceiverVerifies(string secret, string? header, byte[] body, DateTimeOffset now)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - long.Parse(t, CultureInfo.InvariantCulture)) > 300) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray());
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }

    [Fact]
    public async Task AnAcceptedSend_ArrivesOnce_SignedWithTheEndpointsSecret_AndATamperedBodyFailsVerification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookTestApp();
        var (account, list) = await app.AccountAsync("Signed Co");
        var (endpoint, secret) = await app.RegisterAsync(account, receiver.Url("/hook"), "consumption.accepted", "consumption.rejected");
        Assert.StartsWith("whsec_", secret);

        var id = await app.SendAsync(account, list, 120, "signed-1");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 1, "the delivery");

        var got = receiver.On("/hook").Single();
        var now = app.Clock.GetUtcNow();
        Assert.True(ReceiverVerifies(secret, got.Signature, got.Body, now), $"signature {got.Signature}");
        Assert.True(WebhookSignature.Verify(secret, got.Signature, got.Body, now));
        // A changed body, another secret, or the same delivery replayed later than 5 minutes: refused.
        var tampered = Encoding.UTF8.GetBytes(got.Text.Replace("\"quantity\":120", "\"quantity\":121"));
        Assert.NotEqual(got.Body, tampered);
        Assert.False(ReceiverVerifies(secret, got.Signature, tampered, now));
        Assert.False(WebhookSignature.Verify(secret, got.Signature, tampered, now));
        Assert.False(WebhookSignature.Verify(WebhookSecrets.New(), got.Signature, got.Body, now));
        Assert.False(ReceiverVerifies(secret, got.Signature, got.Body, now.AddMinutes(6)));
        Assert.False(WebhookSignature.Verify(secret, got.Signature, got.Body, now.AddMinutes(6)));

        var payload = JsonNode.Parse(got.Text)!;
        Assert.Equal($"consumption-{id}-accepted", (string)payload["id"]!);
        Assert.Equal(got.EventId, (string)payload["id"]!);
        Assert.Equal("consumption.accepted", (string)payload["type"]!);
        Assert.Equal("consumption.accepted", got.EventType);
        Assert.Equal(account, (long)payload["accountId"]!);
        Assert.Equal(id, (long)payload["data"]!["consumptionId"]!);
        Assert.Equal("Accepted", (string)payload["data"]!["status"]!);
        Assert.Equal(120, (long)payload["data"]!["quantity"]!);

        // Later rounds and a later clock send nothing more: delivered once.
        var refused = await app.SendAsync(account, list, 5_000_000, "signed-2", "Rejected");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 2, "the rejected send's delivery");
        await Task.Delay(500);
        Assert.Equal([$"consumption-{id}-accepted", $"consumption-{refused}-rejected"], receiver.On("/hook").Select(r => r.EventId).ToArray());
        var deliveries = await app.DeliveriesAsync(endpoint);
        Assert.All(deliveries, d => { Assert.NotNull(d.DeliveredAt); Assert.Equal(1, d.Attempts); Assert.Equal(200, d.LastStatusCode); Assert.Null(d.NextAttemptAt); });
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task AReceiverThatIsDown_GetsTheDeliveryOnceItIsUp_AfterARetry()
    {
        var port = WebhookReceiver.ReservePort();
        await using var app = new WebhookTestApp();
        var (account, list) = await app.AccountAsync("Down Co");
        var (endpoint, _) = await app.RegisterAsync(account, $"http://127.0.0.1:{port}/hook", "consumption.accepted");
        var id = await app.SendAsync(account, list, 10, "down-1");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(endpoint)).SingleOrDefault() is { Attempts: 1, LastError: not null, NextAttemptAt: not null and var next }
            && next < app.Clock.GetUtcNow().AddMinutes(1), "the first failed attempt");
        var failed = (await app.DeliveriesAsync(endpoint)).Single();
        Assert.Null(failed.LastStatusCode);
        Assert.Null(failed.DeliveredAt);
        var wait = failed.NextAttemptAt!.Value - failed.LastAttemptAt!.Value;
        Assert.InRange(wait.TotalSeconds, 24, 36); // 30 s ± 20%

        await using var receiver = await WebhookReceiver.StartAsync(port);
        await Task.Delay(300);
        Assert.Empty(receiver.Requests); // not before its retry is due
        app.Clock.Advance(TimeSpan.FromSeconds(40));
        await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(endpoint)).Single().DeliveredAt is not null, "the retry's delivery");
        var delivered = (await app.DeliveriesAsync(endpoint)).Single();
        Assert.Equal(2, delivered.Attempts);
        Assert.Equal(200, delivered.LastStatusCode);
        Assert.Equal($"consumption-{id}-accepted", Assert.Single(receiver.Requests).EventId);
    }

    [Fact]
    public async Task AReceiverAnswering500_IsRetriedWithGrowingDelays_AndGivenUp24HoursAfterTheEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status["/broken"] = 500;
        await using var app = new WebhookTestApp();
        var (account, list) = await app.AccountAsync("Broken Co");
        var (endpoint, _) = await app.RegisterAsync(account, receiver.Url("/broken"), "consumption.accepted");
        await app.SendAsync(account, list, 10, "broken-1");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(endpoint)).Count == 1, "the delivery row");
        var created = (await app.DeliveriesAsync(endpoint)).Single().CreatedAt;

        var waits = new List<TimeSpan>();
        for (var attempt = 1; ; attempt++)
        {
            // Finished, not merely claimed: the attempt's error is recorded (a claim only counts it and holds the row).
            await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(endpoint)).Single() is var d
                && d.Attempts == attempt && d.LastError?.StartsWith($"attempt {attempt}:", StringComparison.Ordinal) == true, $"attempt {attempt}");
            var d = (await app.DeliveriesAsync(endpoint)).Single();
            Assert.Equal(500, d.LastStatusCode);
            if (d.GivenUpAt is not null) break;
            waits.Add(d.NextAttemptAt!.Value - d.LastAttemptAt!.Value);
            app.Clock.MoveTo(d.NextAttemptAt!.Value);
            Assert.True(attempt < 60, "given up in time");
        }

        var last = (await app.DeliveriesAsync(endpoint)).Single();
        Assert.Null(last.DeliveredAt);
        Assert.Null(last.NextAttemptAt);
        Assert.Contains("HTTP 500", last.LastError);
        Assert.InRange(last.GivenUpAt!.Value - created, TimeSpan.FromHours(22), TimeSpan.FromHours(24));
        // 30 s, 1, 2, 4 … min (each ± 20%) until the one-hour ceiling, then about an hour each.
        Assert.InRange(waits[0].TotalSeconds, 24, 36);
        for (var i = 1; i < 7; i++) Assert.True(waits[i] > waits[i - 1] * 1.3, $"wait {i}: {waits[i]} after {waits[i - 1]}");
        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromHours(1.2), $"{w}"));
        Assert.Equal(last.Attempts, receiver.On("/broken").Count);
        Assert.Single(receiver.On("/broken").Select(r => r.EventId).Distinct());
        Assert.InRange(last.Attempts, 25, 40);
    }

    [Fact]
    public async Task PendingDeliveries_AndEventsNotYetRead_AreDeliveredAfterARestart()
    {
        var port = WebhookReceiver.ReservePort();
        var database = new TempDatabase("webhooks-restart");
        try
        {
            long endpoint;
            var ids = new List<long>();
            DateTimeOffset stoppedAt;
            await using (var first = new WebhookTestApp(database, ownsDatabase: false, ApiTestApp.Start))
            {
                var (account, list) = await first.AccountAsync("Restart Co");
                (endpoint, _) = await first.RegisterAsync(account, $"http://127.0.0.1:{port}/hook", "consumption.accepted");
                for (var i = 0; i < 3; i++) ids.Add(await first.SendAsync(account, list, 10, $"restart-{i}"));
                first.Clock.Advance(TimeSpan.FromSeconds(1));
                await WebhookTestApp.EventuallyAsync(async () => (await first.DeliveriesAsync(endpoint)) is { Count: 3 } d && d.All(x => x.Attempts == 1 && x.LastError is not null),
                    "three failed first attempts");
                // Committed by the ledger but not yet read by the dispatcher (its instant is the clock's now) when the app stops.
                ids.Add(await first.SendAsync(account, list, 10, "restart-3"));
                stoppedAt = first.Clock.GetUtcNow();
            }

            await using var receiver = await WebhookReceiver.StartAsync(port);
            await using var second = new WebhookTestApp(database, ownsDatabase: false, stoppedAt.AddMinutes(2));
            _ = second.Server;
            await WebhookTestApp.EventuallyAsync(async () => (await second.DeliveriesAsync(endpoint)) is { Count: 4 } d && d.All(x => x.DeliveredAt is not null),
                "every delivery after the restart");
            Assert.Equal(ids.Select(i => $"consumption-{i}-accepted").Order(), receiver.On("/hook").Select(r => r.EventId!).Order());
            var deliveries = await second.DeliveriesAsync(endpoint);
            Assert.Equal([2, 2, 2, 1], deliveries.Select(d => d.Attempts).ToArray());
            Assert.Empty(await second.LedgerCheckAsync());
        }
        finally
        {
            database.Dispose();
        }
    }

    [Fact]
    public async Task Resend_DeliversAgainWithTheSameEventId_AndIsAudited()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookTestApp();
        var (account, list) = await app.AccountAsync("Resend Co");
        var (endpoint, secret) = await app.RegisterAsync(account, receiver.Url("/hook"), "consumption.accepted");
        await app.SendAsync(account, list, 10, "resend-1");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 1, "the first delivery");
        var delivery = (await app.DeliveriesAsync(endpoint)).Single();

        using var support = app.Support();
        await support.PostJsonAsync($"api/v1/accounts/{account}/webhooks/{endpoint}/deliveries/{delivery.Id}/resend", "{}", HttpStatusCode.Accepted);
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 2, "the resent delivery");
        var (first, second) = (receiver.On("/hook")[0], receiver.On("/hook")[1]);
        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal(first.Body, second.Body);
        Assert.True(WebhookSignature.Verify(secret, second.Signature, second.Body, app.Clock.GetUtcNow()));
        await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(endpoint)).Single().DeliveredAt is not null, "marked delivered again");

        // The service the portal calls does the same, once more.
        await app.Services.GetRequiredService<WebhookService>().ResendAsync(account, delivery.Id, Actor.Owner("owner@resend.test"));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 3, "the portal's resend");
        Assert.Single(receiver.On("/hook").Select(r => r.EventId).Distinct());

        var audit = await support.GetItemsAsync($"api/v1/accounts/{account}/audit");
        Assert.Equal(2, audit.Count(a => (string)a!["action"]! == "webhook.resent"));
        Assert.Single(audit, a => (string)a!["action"]! == "webhook.created");
    }

    [Fact]
    public async Task AReceiverThatHangs_DoesNotDelayAnotherEndpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay["/slow"] = TimeSpan.FromSeconds(30);
        await using var app = new WebhookTestApp();
        var (account, list) = await app.AccountAsync("Slow Co");
        // The slow endpoint is registered first, so its deliveries come first in every round.
        var (slow, _) = await app.RegisterAsync(account, receiver.Url("/slow"), "consumption.accepted");
        var (fast, _) = await app.RegisterAsync(account, receiver.Url("/fast"), "consumption.accepted");
        for (var i = 0; i < 3; i++) await app.SendAsync(account, list, 10, $"slow-{i}");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        await WebhookTestApp.EventuallyAsync(() => receiver.On("/fast").Count == 3, "the fast endpoint's three deliveries", seconds: 2.5);
        // Meanwhile none of the slow endpoint's attempts has ended: its first still hangs (its limit is 3 s, one after another 9 s).
        Assert.All(await app.DeliveriesAsync(slow), d => Assert.Null(d.LastError));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/slow").Count == 1, "the slow endpoint's first attempt", seconds: 2);
        await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(fast)).All(d => d.DeliveredAt is not null), "fast marked delivered", seconds: 2);

        await WebhookTestApp.EventuallyAsync(async () => (await app.DeliveriesAsync(slow)).Count(d => d.LastError is not null) == 3, "the slow attempts time out", seconds: 20);
        Assert.All(await app.DeliveriesAsync(slow), d => Assert.Contains("no answer within 3 s", d.LastError));
    }

    [Fact]
    public async Task AReceiverAnswering410_IsDisabled_AndItsDeliveryGivenUp()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status["/gone"] = 410;
        await using var app = new WebhookTestApp();
        var (account, list) = await app.AccountAsync("Gone Co");
        var (endpoint, _) = await app.RegisterAsync(account, receiver.Url("/gone"), "consumption.accepted");
        await app.SendAsync(account, list, 10, "gone-1");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(async () => !(await app.EndpointAsync(endpoint)).Enabled, "the endpoint disabled");
        var delivery = (await app.DeliveriesAsync(endpoint)).Single();
        Assert.Equal(410, delivery.LastStatusCode);
        Assert.NotNull(delivery.GivenUpAt);
        Assert.Contains("410", (await app.EndpointAsync(endpoint)).DisabledReason);

        // Disabled: later sends are not delivered.
        await app.SendAsync(account, list, 10, "gone-2");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(500);
        Assert.Single(receiver.Requests);
        Assert.Single(await app.DeliveriesAsync(endpoint));
    }

    [Fact]
    public async Task AlertsAndQueuedSends_AreEvents_OnlyTheSubscribedOnes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookTestApp();
        using var support = app.Support();
        var (account, list) = await app.AccountAsync("Alerting Co", credits: 0);
        await support.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":true}""");
        var (endpoint, _) = await app.RegisterAsync(account, receiver.Url("/hook"), "alert.LowBalance15", "consumption.queued", "consumption.released");
        await support.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"alerting-buy"}""");
        var accepted = await app.SendAsync(account, list, 8_500, "alerting-1"); // down to 15%: LowBalance15
        var queued = await app.SendAsync(account, list, 5_000, "alerting-2", "Queued");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 2, "the alert and the queued send");
        await support.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"alerting-buy-2"}""");
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await WebhookTestApp.EventuallyAsync(() => receiver.On("/hook").Count == 3, "the released send");
        await Task.Delay(300);

        var types = receiver.On("/hook").Select(r => (r.EventType, r.EventId)).ToList();
        Assert.Contains(("alert.LowBalance15", types.Single(t => t.EventType == "alert.LowBalance15").EventId), types);
        Assert.Contains(("consumption.queued", $"consumption-{queued}-queued"), types);
        Assert.Contains(("consumption.released", $"consumption-{queued}-released"), types);
        Assert.DoesNotContain(types, t => t.EventId == $"consumption-{accepted}-accepted"); // not subscribed
        var released = JsonNode.Parse(receiver.On("/hook").Single(r => r.EventType == "consumption.released").Text)!;
        Assert.Equal("Accepted", (string)released["data"]!["status"]!);
        Assert.Equal(3, (await app.DeliveriesAsync(endpoint)).Count);
        Assert.Empty(await app.LedgerCheckAsync());
    }
}
