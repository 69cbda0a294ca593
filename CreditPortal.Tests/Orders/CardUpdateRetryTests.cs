using System.Diagnostics;
using CreditPortal.Ledger;
using CreditPortal.Orders;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CreditPortal.Tests.Orders;

/// <summary>The app on a manual clock, mailing alerts over SMTP to a real local server (aiosmtpd).</summary>
public sealed class SmtpManualClockApp(int smtpPort) : ApiTestApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Mail:SmtpHost", "127.0.0.1");
        builder.UseSetting("Mail:SmtpPort", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:Security", "None");
    }
}

public sealed class SmtpManualClockFixture : IAsyncLifetime
{
    public SmtpTestServer Smtp { get; private set; } = default!;
    public SmtpManualClockApp App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        App = new SmtpManualClockApp(Smtp.Port);
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// R7/R10: after a declined renewal the owner updates the card and the waiting renewal is charged at once, not after the
/// next retry delay; every declined try mails its own alert.
/// </summary>
public sealed class CardUpdateRetryTests(SmtpManualClockFixture fixture) : IClassFixture<SmtpManualClockFixture>
{
    private static readonly Actor Owner = Actor.Owner("owner@cardco.test");

    [Fact]
    public async Task A_new_card_retries_the_declined_plan_renewal_at_once_and_each_declined_try_mails_its_own_alert()
    {
        var app = fixture.App;
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Card Co", ",\"billingContacts\":[\"billing@cardco.test\"]");
        using var client = app.As(await support.CreateKeyAsync(account));
        // Standard, 1,000 subscribers, paid: the cycle runs from 10 Nov to 10 Dec (00:00 in Rome, 9 Dec 23:00 UTC).
        await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan",
            """{"plan":"Standard","subscriberCount":1000,"paymentToken":"tok_ok","idempotencyKey":"plan-1"}""");
        var cards = app.Services.GetRequiredService<CardUpdates>();
        // The owner's new card turns out to be one that declines.
        var first = await cards.UpdateAsync(account, TestPaymentProvider.DecliningToken, "card-1", Owner);
        Assert.Equal((true, 0), (first.Saved, first.Retried.Count));

        var cycleEnd = new DateTimeOffset(2026, 12, 9, 23, 0, 0, TimeSpan.Zero);
        await support.PutJsonAsync("api/v1/clock", $$"""{"now":"{{cycleEnd:O}}"}""");
        Assert.Equal([OrderStatus.Declined], await RenewalsAsync(account)); // the first try declined; the next one waits an hour

        // A new card, again a declining one: the waiting retry goes at once (the clock has not moved), and declines again.
        var second = await cards.UpdateAsync(account, TestPaymentProvider.DecliningToken, "card-2", Owner);
        Assert.Equal((OrderStatus.Declined, "card_declined"), (second.Retried.Single().Status, second.Retried.Single().DeclineReason));
        // Then a card that pays: the next waiting retry (planned 6 hours later) goes at once and pays the cycle.
        var third = await cards.UpdateAsync(account, TestPaymentProvider.PayingToken, "card-3", Owner);
        Assert.Equal(OrderStatus.Paid, third.Retried.Single().Status);
        Assert.Equal([OrderStatus.Declined, OrderStatus.Declined, OrderStatus.Paid], await RenewalsAsync(account));
        Assert.All(await RenewalTimesAsync(account), at => Assert.Equal(cycleEnd, at)); // all at the cycle end: none waited for its delay
        Assert.Equal(12_000, await client.TotalAsync(account)); // the new cycle's plan credits (the first cycle's expired at its end)

        // Each declined try has its own alert and its own mail, and the paid one says so.
        var mails = await WaitForMailsAsync("Card Co", 3);
        Assert.Equal(2, mails.Count(m => m.Subject == "Card Co: Email auto-renew payment declined"));
        Assert.Single(mails, m => m.Subject == "Card Co: Email credits renewed");
        Assert.Equal(3, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.All(mails, m => Assert.Contains("billing@cardco.test", m.Headers["X-RcptTo"]));
        Assert.Contains((await support.GetItemsAsync($"api/v1/accounts/{account}/audit")).Select(a => (string)a!["action"]!), a => a == "payment.card");
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Something_that_is_not_a_card_is_refused_at_the_field_and_changes_nothing()
    {
        var app = fixture.App;
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Not a card Co");
        var before = await support.SnapshotAsync(account);

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() =>
            app.Services.GetRequiredService<CardUpdates>().UpdateAsync(account, "tok_typo", "card-1", Owner));

        Assert.Equal(("paymentToken", "card_not_saved"), (refused.Field, refused.Code));
        Assert.Equal(before, await support.SnapshotAsync(account));
    }

    private async Task<List<OrderStatus>> RenewalsAsync(long account)
    {
        await using var db = fixture.App.Database.CreateContext();
        return await db.Orders.Where(o => o.AccountId == account && o.Kind == OrderKind.PlanRenewal).OrderBy(o => o.Id).Select(o => o.Status).ToListAsync();
    }

    private async Task<List<DateTimeOffset>> RenewalTimesAsync(long account)
    {
        await using var db = fixture.App.Database.CreateContext();
        return (await db.Orders.Where(o => o.AccountId == account && o.Kind == OrderKind.PlanRenewal).ToListAsync())
            .Select(o => o.CompletedAt!.Value).ToList();
    }

    private async Task<IReadOnlyList<MimeMessage>> WaitForMailsAsync(string accountName, int count)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var mails = fixture.Smtp.Messages().Where(m => m.Subject.StartsWith(accountName + ":")).ToList();
            if (mails.Count >= count) return mails;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{mails.Count} of {count} mails of {accountName} arrived");
            await Task.Delay(50);
        }
    }
}
