using Bunit;
using CreditPortal.Api;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using AlertsPage = CreditPortal.Features.Alerts.Alerts;

namespace CreditPortal.Tests.Features.Alerts;

public sealed class AlertsPageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    [Fact]
    public async Task No_alerts_yet_says_so()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = RenderPage<AlertsPage>(account.Id);

        page.WaitForAssertion(() => Assert.Contains("No alerts yet.", page.Find("[data-testid=alerts]").TextContent));
        Assert.Empty(page.FindAll("tr.alert-row"));
    }

    [Fact]
    public async Task Every_alert_shows_its_time_in_the_account_s_zone_and_what_it_means()
    {
        var account = await CreateAccountAsync(timeZone: "Asia/Tokyo");
        var list = await Ledger.CreateListAsync(account.Id, "News", Owner);
        await Orders.OrderPackAsync(account.Id, "email-5000", TestPaymentProvider.PayingToken, "k1", Owner);
        // R10: 700 left of a 5,000 purchase is 14% → the 15% alert.
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 4_300, null, null, "s1"), Owner);
        Clock.Advance(TimeSpan.FromHours(3));
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 700, null, null, "s2"), Owner);
        SignInAsOwner(account);

        var page = RenderPage<AlertsPage>(account.Id);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tr.alert-row").Count));
        var rows = page.FindAll("tr.alert-row");
        // Newest first. 22 Nov 2026 12:00 UTC is 21:00 in Tokyo.
        Assert.Equal("Credits used up", rows[0].QuerySelector("[data-testid=alert-kind]")!.Text());
        Assert.Equal("22 Nov 2026, 21:00", rows[0].QuerySelector("[data-testid=alert-at]")!.Text());
        Assert.Contains("new sends are refused", rows[0].QuerySelector("[data-testid=alert-meaning]")!.Text());
        Assert.Equal("Low balance (15%)", rows[1].QuerySelector("[data-testid=alert-kind]")!.Text());
        Assert.Equal("22 Nov 2026, 18:00", rows[1].QuerySelector("[data-testid=alert-at]")!.Text());
        Assert.Contains("down to 700", rows[1].QuerySelector("[data-testid=alert-detail]")!.Text());
        Assert.Contains("15% of the last purchase or below", rows[1].QuerySelector("[data-testid=alert-meaning]")!.Text());
    }

    private ApiKeyService Keys => Services.GetRequiredService<ApiKeyService>();

    /// <summary>An <c>UnusualUsage</c> alert for the hour that holds now, raised by the hourly check's own command over the
    /// sends made so far in it (the check's comparison with earlier weeks is UnusualUsageTests' part).</summary>
    private async Task RaiseUnusualUsageAsync(long accountId)
    {
        var hour = UnusualUsage.HourStart(Clock.GetUtcNow());
        var senders = await Services.GetRequiredService<UnusualUsageReader>().SendersAsync(accountId, Channel.Email, hour);
        var detail = UnusualUsage.Text(Channel.Email, 2_000, hour, 400, 8, senders.Lists, senders.Keys.Select(k => (k.Name, k.Credits)).ToList(),
            senders.OtherSenders, TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome"));
        Assert.True(await Services.GetRequiredService<LedgerWriter>().RunAsync(s =>
            RaiseUnusualUsage.Execute(s, accountId, Channel.Email, hour, TimeSpan.FromHours(6), detail)));
    }

    [Fact]
    public async Task An_unusual_usage_alert_offers_to_revoke_each_key_it_names_and_the_revoked_key_is_refused_and_audited()
    {
        var account = await CreateAccountAsync();
        var list = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Email, 10_000, null, "test", Actor.Support("Agent"));
        var leaked = await Keys.CreateForAccountAsync(account.Id, "Newsletter engine", Owner);
        var shop = await Keys.CreateForAccountAsync(account.Id, "Shop backend", Owner);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 1_500, null, null, "s1"), leaked.Info.Actor);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, list, 500, null, null, "s2"), shop.Info.Actor);
        await RaiseUnusualUsageAsync(account.Id);
        SignInAsOwner(account);

        var page = RenderPage<AlertsPage>(account.Id);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=alert-revoke-key]").Count));
        var row = page.Find("tr.alert-row");
        Assert.Equal("Unusual usage", row.QuerySelector("[data-testid=alert-kind]")!.Text());
        Assert.Contains("API keys: Newsletter engine 1,500, Shop backend 500.", row.QuerySelector("[data-testid=alert-detail]")!.Text());
        Assert.Contains("revoke the API key", row.QuerySelector("[data-testid=alert-meaning]")!.Text());
        Assert.Equal(["Revoke key Newsletter engine…", "Revoke key Shop backend…"],
            page.FindAll("[data-testid=alert-revoke-key]").Select(b => b.TextContent.Trim()));

        // The first key's Revoke key… asks first; nothing is revoked before the answer.
        page.Find($"form[id^=alert-][id$=-revoke-key-{leaked.Info.Id}]").Submit();
        page.WaitForAssertion(() => Assert.Contains("which sent 1,500 credits in that hour", page.Find(".mud-dialog").Text()));
        Assert.NotNull(await Keys.AuthenticateAsync(leaked.Key));
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Revoke")).Click();

        page.WaitForAssertion(() => Assert.Contains("Newsletter engine (" + leaked.Info.Prefix + "…) is revoked", page.Find("[data-testid=alert-key-revoked]").Text()));
        Assert.Single(page.FindAll("[data-testid=alert-revoke-key]"));   // the other key is still offered
        Assert.Null(await Keys.AuthenticateAsync(leaked.Key));           // what the API's bearer check asks: its sends are refused (401)
        Assert.NotNull(await Keys.AuthenticateAsync(shop.Key));
        var audit = Assert.Single((await Queries.GetAuditAsync(account.Id)).Items, a => a.Action == "apikey.revoked");
        Assert.Equal("owner:owner@example.test", audit.Actor);
    }

    [Fact]
    public async Task Another_account_s_key_is_never_offered_nor_revoked()
    {
        var mine = await CreateAccountAsync("Mine Co");
        var theirs = await CreateAccountAsync("Theirs Co");
        var theirKey = await Keys.CreateForAccountAsync(theirs.Id, "Their system", Actor.Owner("x@theirs.test"));
        var list = await Ledger.CreateListAsync(mine.Id, "News", Owner);
        await Ledger.GrantAdjustmentAsync(mine.Id, Channel.Email, 10_000, null, "test", Actor.Support("Agent"));
        // A send of my account recorded under their key's actor (it cannot happen through the API; the page must not trust it).
        await Ledger.ConsumeAsync(mine.Id, new ConsumptionRequest(Channel.Email, list, 2_000, null, null, "s1"), theirKey.Info.Actor);
        await RaiseUnusualUsageAsync(mine.Id);
        SignInAsOwner(mine);

        var page = RenderPage<AlertsPage>(mine.Id);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.alert-row")));
        Assert.Empty(page.FindAll("[data-testid=alert-revoke-key]"));

        // Their alerts page is not mine to open, and the revoke itself refuses their key for my account.
        var other = RenderPage<AlertsPage>(theirs.Id);
        other.WaitForAssertion(() => Assert.NotNull(other.Find("[data-testid=not-found]")));
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => Keys.RevokeAsync(theirKey.Info.Id, mine.Id, Owner));
        Assert.NotNull(await Keys.AuthenticateAsync(theirKey.Key));
        await using var db = Database.CreateContext();
        Assert.Null((await db.ApiKeys.SingleAsync(k => k.Id == theirKey.Info.Id)).RevokedAt);
    }
}
