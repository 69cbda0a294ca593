using Bunit;
using CreditPortal.Data;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using WebhooksPage = CreditPortal.Features.Webhooks.Webhooks;

namespace CreditPortal.Tests.Features.Webhooks;

/// <summary>The Webhooks page over the real service and database: registering (https only here), the secret shown once,
/// refusals at their fields, the delivery log and Resend, and support's read-only view.</summary>
public sealed class WebhooksPageTests : PortalBunitContext
{
    private sealed class ProductionLike : IWebHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "CreditPortal";
        public string WebRootPath { get; set; } = "";
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    public WebhooksPageTests()
    {
        Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        Services.AddSingleton<IWebHostEnvironment>(new ProductionLike());
        Services.Configure<WebhookOptions>(_ => { });
        Services.AddSingleton<WebhookSecrets>();
        Services.AddSingleton<WebhookSignal>();
        Services.AddSingleton<WebhookService>();
    }

    private WebhookService Webhooks => Services.GetRequiredService<WebhookService>();

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> Open(long accountId)
    {
        var page = RenderPage<WebhooksPage>(accountId);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=webhooks]")));
        return page;
    }

    [Fact]
    public async Task An_http_url_is_refused_at_its_field_and_an_https_one_is_registered_with_its_secret_shown_once()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account, "owner@acme.test");
        var page = Open(account.Id);
        Assert.Contains("No endpoints yet.", page.Find("[data-testid=webhooks]").TextContent);

        page.Find("input[name=webhook-url]").Input("http://hooks.acme.test/creditportal");
        page.Find("[data-testid=create-webhook]").Submit();
        page.WaitForAssertion(() => Assert.Contains("must start with https://", page.Find("#create-webhook-url-message").TextContent));
        Assert.Empty(await Webhooks.ListAsync(account.Id));

        page.Find("input[name=webhook-url]").Input("https://hooks.acme.test/creditportal");
        page.Find("input[name='webhook-event-alert.Depleted']").Change(true);
        page.Find("[data-testid=create-webhook]").Submit();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.webhook-row")));
        var endpoint = (await Webhooks.ListAsync(account.Id)).Single();
        Assert.Equal("https://hooks.acme.test/creditportal", endpoint.Url);
        Assert.Equal(["alert.Depleted", "consumption.rejected", "consumption.queued", "consumption.released"], endpoint.Events);
        var secret = page.Find("input[name=webhook-secret]").GetAttribute("value")!;
        Assert.StartsWith(endpoint.SecretPrefix, secret);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "webhook.created" && a.Actor == "owner:owner@acme.test");

        page.Find("[data-testid=webhook-secret-dismiss]").Click();
        Assert.Empty(page.FindAll("[data-testid=webhook-secret]"));
        Assert.DoesNotContain(secret, page.Markup);
    }

    [Fact]
    public async Task No_event_chosen_is_refused_at_the_events()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account, "owner@acme.test");
        var page = Open(account.Id);
        foreach (var type in new[] { "consumption.rejected", "consumption.queued", "consumption.released" })
            page.Find($"input[name='webhook-event-{type}']").Change(false);
        page.Find("input[name=webhook-url]").Input("https://hooks.acme.test/x");
        page.Find("[data-testid=create-webhook]").Submit();
        page.WaitForAssertion(() => Assert.Contains("Choose at least one event.", page.Find("[data-testid=error-events]").TextContent));
        Assert.Empty(await Webhooks.ListAsync(account.Id));
    }

    [Fact]
    public async Task The_log_shows_each_delivery_and_Resend_makes_it_pending_again()
    {
        var account = await CreateAccountAsync();
        var created = await Webhooks.CreateAsync(account.Id, "https://hooks.acme.test/x", ["consumption.accepted"], CreditPortal.Ledger.Actor.Owner("owner@acme.test"));
        long deliveryId;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContextAsync())
        {
            var delivery = new WebhookDelivery
            {
                EndpointId = created.Endpoint.Id, AccountId = account.Id, EventId = "consumption-7-accepted", EventType = "consumption.accepted", Payload = "{}",
                EventAt = Clock.GetUtcNow(), CreatedAt = Clock.GetUtcNow(), Attempts = 30, LastAttemptAt = Clock.GetUtcNow(), LastStatusCode = 503,
                LastError = "attempt 30: HTTP 503 Service Unavailable", GivenUpAt = Clock.GetUtcNow(), RetryUntil = Clock.GetUtcNow(),
            };
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync();
            deliveryId = delivery.Id;
        }
        SignInAsOwner(account, "owner@acme.test");
        var page = Open(account.Id);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.webhook-delivery-row")));
        Assert.Equal("503 · failed, given up", page.Find("[data-testid=delivery-state]").TextContent);
        Assert.Equal("30", page.Find("[data-testid=delivery-attempts]").TextContent);
        Assert.Equal("consumption-7-accepted", page.Find("[data-testid=delivery-event-id]").TextContent);

        page.Find($"form#resend-delivery-{deliveryId}").Submit();
        page.WaitForAssertion(() => Assert.Equal("waiting to be sent", page.Find("[data-testid=delivery-state]").TextContent));
        var after = (await Webhooks.DeliveriesAsync(account.Id, null, 0, 10)).Items.Single();
        Assert.Equal(0, after.Attempts);
        Assert.Null(after.GivenUpAt);
        Assert.Equal(Clock.GetUtcNow(), after.NextAttemptAt);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "webhook.resent");
    }

    [Fact]
    public async Task Support_sees_the_page_read_only()
    {
        var account = await CreateAccountAsync();
        await Webhooks.CreateAsync(account.Id, "https://hooks.acme.test/x", ["consumption.accepted"], CreditPortal.Ledger.Actor.Owner("owner@acme.test"));
        SignInAsSupport();
        var page = Open(account.Id);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.webhook-row")));
        Assert.NotNull(page.Find("[data-testid=webhooks-read-only]"));
        Assert.Empty(page.FindAll("[data-testid=create-webhook]"));
        Assert.Empty(page.FindAll("[data-testid=webhook-delete]"));
    }
}
