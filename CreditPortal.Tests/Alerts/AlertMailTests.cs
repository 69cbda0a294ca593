using System.Diagnostics;
using CreditPortal.Alerts;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CreditPortal.Tests.Alerts;

/// <summary>The app with the system clock, mailing alerts over SMTP to a real local server (aiosmtpd), with a short backoff.</summary>
public sealed class SmtpApiTestApp(int smtpPort) : ApiTestApp
{
    protected override bool ManualClock => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Mail:SmtpHost", "127.0.0.1");
        builder.UseSetting("Mail:SmtpPort", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:Security", "None");
        builder.UseSetting("Mail:RetryFirst", "00:00:00.500");
        builder.UseSetting("Mail:RetryMax", "00:00:01");
    }
}

public sealed class SmtpFixture : IAsyncLifetime
{
    public SmtpTestServer Smtp { get; private set; } = default!;
    public SmtpApiTestApp App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        App = new SmtpApiTestApp(Smtp.Port);
        _ = App.Server; // start the app (and its mailer) now
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// R10 alert mail over real SMTP with MailKit: each alert arrives exactly once, to its recipients, with header
/// values on one line; with the server down alerts wait, cost no attempt, and all go out once it is back.
/// The tests of this class share one server and run one after another, each counting only its own account's mail.
/// </summary>
public sealed class AlertMailTests(SmtpFixture fixture) : IClassFixture<SmtpFixture>
{
    private SmtpTestServer Smtp => fixture.Smtp;
    private AlertMailer Mailer => fixture.App.Services.GetRequiredService<AlertMailer>();

    /// <summary>An account whose 10,000 pack is spent to 15%, 5% and 0 in <paramref name="rounds"/> rounds: three alerts a round.</summary>
    private async Task<long> AccountWithAlertsAsync(string name, int rounds = 1, string contacts = "\"billing@acme.test\",\"finance@acme.test\"")
    {
        using var support = fixture.App.Support();
        var account = await support.CreateAccountAsync(name, $",\"billingContacts\":[{contacts}]");
        var list = await support.CreateListAsync(account, "News");
        for (var round = 0; round < rounds; round++)
        {
            await support.PostJsonAsync($"api/v1/accounts/{account}/orders",
                $$"""{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"{{name}}-buy-{{round}}"}""");
            var spend = 0;
            foreach (var quantity in new[] { 8_500, 1_000, 500 })
                await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", CreditPortal.Tests.Api.Api.Consumption(list, quantity, $"{name}-{round}-{spend++}"));
        }
        return account;
    }

    private IReadOnlyList<MimeMessage> MailsOf(string accountName) => Smtp.Messages().Where(m => m.Subject.StartsWith(accountName + ":")).ToList();

    private async Task<IReadOnlyList<MimeMessage>> WaitForMailsAsync(string accountName, int count)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var mails = MailsOf(accountName);
            if (mails.Count >= count) return mails;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{mails.Count} of {count} mails of {accountName} arrived");
            await Task.Delay(50);
        }
    }

    private async Task<List<Alert>> AlertsAsync(long accountId)
    {
        await using var db = fixture.App.Database.CreateContext();
        return await db.Alerts.AsNoTracking().Where(a => a.AccountId == accountId).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task Each_alert_arrives_exactly_once_to_every_recipient()
    {
        var account = await AccountWithAlertsAsync("Once Co");

        var mails = await WaitForMailsAsync("Once Co", 3);
        // More rounds find nothing left to send.
        await Mailer.DeliverPendingAsync(default);
        await Mailer.DeliverPendingAsync(default);
        await Task.Delay(1_500);

        mails = MailsOf("Once Co");
        Assert.Equal(3, mails.Count);
        Assert.Equal(["Once Co: Email credits at 15% or less", "Once Co: Email credits at 5% or less", "Once Co: Email credits used up"],
            mails.Select(m => m.Subject).Order());
        Assert.All(mails, m => Assert.Equal("billing@acme.test, finance@acme.test", m.Headers["X-RcptTo"]));
        Assert.All(mails, m => Assert.Equal("credits@creditportal.local", m.From.Mailboxes.Single().Address));
        var alerts = await AlertsAsync(account);
        Assert.Equal(alerts.Select(a => $"alert-{a.Id}@creditportal.local").Order(), mails.Select(m => m.MessageId).Order());
        Assert.All(alerts, a => Assert.Equal((1, (string?)null), (a.DeliveryAttempts, a.DeliveryError)));
        Assert.All(alerts, a => Assert.NotNull(a.DeliveredAt));
        Assert.Contains(mails, m => m.TextBody.Contains("used up"));
    }

    [Fact]
    public async Task The_owner_logins_get_every_alert_and_the_billing_contacts_too()
    {
        var email = $"owner.{Guid.NewGuid():N}@owners.test";
        using (var support = fixture.App.Support())
        {
            var account = await support.CreateAccountAsync("Owned Co",
                $",\"billingContacts\":[\"billing@owned.test\"],\"ownerEmail\":\"{email}\",\"ownerPassword\":\"Owner#Password1\"");
            var list = await support.CreateListAsync(account, "News");
            await support.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"owned-buy"}""");
            await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", CreditPortal.Tests.Api.Api.Consumption(list, 8_500, "owned-1"));
        }

        var mail = Assert.Single(await WaitForMailsAsync("Owned Co", 1));

        Assert.Equal($"{email}, billing@owned.test", mail.Headers["X-RcptTo"]);
    }

    [Fact]
    public async Task With_the_server_down_alerts_wait_without_spending_attempts_and_all_go_out_once_it_is_back()
    {
        await Smtp.StopAsync();
        long account;
        try
        {
            account = await AccountWithAlertsAsync("Outage Co", rounds: 2);
            await Mailer.DeliverPendingAsync(default);
            Assert.NotNull(Mailer.ServerUnreachableSince);
            Assert.Equal(6, (await Mailer.BacklogAsync()).Count);
            var waiting = await AlertsAsync(account);
            Assert.All(waiting, a => Assert.Equal((0, (DateTimeOffset?)null), (a.DeliveryAttempts, a.DeliveredAt)));
            await Task.Delay(1_200); // past the mailer's first backoff: it tries, and fails, again by itself
        }
        finally
        {
            await Smtp.StartAgainAsync();
        }

        // The mailer's own loop finds the server back; nothing is lost, nothing doubled.
        var mails = await WaitForMailsAsync("Outage Co", 6);
        await Task.Delay(1_500);
        Assert.Equal(6, MailsOf("Outage Co").Count);
        Assert.Equal(6, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.All(await AlertsAsync(account), a => Assert.Equal(1, a.DeliveryAttempts));
        Assert.Null(Mailer.ServerUnreachableSince);
        Assert.Equal(0, (await Mailer.BacklogAsync()).Count);
        // The outage touched mail only: every acknowledged send and purchase is in the ledger, which checks out.
        Assert.Empty(await fixture.App.LedgerCheckAsync());
    }

    [Fact]
    public async Task Two_mailers_at_once_still_send_each_alert_once()
    {
        await Smtp.StopAsync();
        long race;
        try
        {
            race = await AccountWithAlertsAsync("Race Co", rounds: 4);
        }
        finally
        {
            await Smtp.StartAgainAsync();
        }
        // Two more mailers on the same database, as other app instances would have, start together (the app's own
        // mailer may be waiting out its backoff from the outage).
        // Their backoff is 1 ms, far shorter than a send: an alert that another mailer is still sending must not
        // look due to them (the claim holds it for Mail:AttemptLease, not for the backoff).
        var configured = fixture.App.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        var impatient = Options.Create(new MailOptions
        {
            From = configured.From, SmtpHost = configured.SmtpHost, SmtpPort = configured.SmtpPort, Security = configured.Security,
            Timeout = configured.Timeout, PickupDirectory = configured.PickupDirectory,
            RetryFirst = TimeSpan.FromMilliseconds(1), RetryMax = TimeSpan.FromMilliseconds(1),
        });
        var first = ActivatorUtilities.CreateInstance<AlertMailer>(fixture.App.Services, impatient);
        var second = ActivatorUtilities.CreateInstance<AlertMailer>(fixture.App.Services, impatient);
        await Task.WhenAll(Task.Run(() => first.DeliverPendingAsync(default)), Task.Run(() => second.DeliverPendingAsync(default)),
            Mailer.DeliverPendingAsync(default));

        var mails = await WaitForMailsAsync("Race Co", 12);
        await Task.Delay(1_500);
        Assert.Equal(12, MailsOf("Race Co").Count);
        Assert.Equal(12, mails.Select(m => m.MessageId).Distinct().Count());
        // Each alert was claimed once: no mailer took an alert that another was still sending.
        await using var db = fixture.App.Database.CreateContext();
        Assert.All(await db.Alerts.Where(a => a.AccountId == race).Select(a => a.DeliveryAttempts).ToListAsync(), attempts => Assert.Equal(1, attempts));
    }

    [Fact]
    public async Task Line_breaks_in_an_account_name_do_not_reach_the_headers()
    {
        var account = await AccountWithAlertsAsync("Header Co");
        await WaitForMailsAsync("Header Co", 3);
        await using (var db = fixture.App.Database.CreateContext())
        {
            await db.Accounts.Where(a => a.Id == account).ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, "Evil\r\nBcc: thief@evil.test\r\nX-Injected: yes"));
        }
        using var support = fixture.App.Support();
        var list = (long)(await support.GetJsonAsync($"api/v1/accounts/{account}/lists")).AsArray()[0]!["id"]!;
        await support.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"header-buy-2"}""");
        await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", CreditPortal.Tests.Api.Api.Consumption(list, 10_000, "header-spend-all"));

        var mail = Assert.Single(await WaitForMailsAsync("Evil Bcc: thief@evil.test X-Injected: yes", 1));
        Assert.Null(mail.Headers["X-Injected"]);
        Assert.Equal("billing@acme.test, finance@acme.test", mail.Headers["X-RcptTo"]);
        Assert.Empty(mail.Bcc);
        Assert.Equal("CreditPortal for Evil Bcc: thief@evil.test X-Injected: yes", mail.From.Mailboxes.Single().Name);
    }

    [Fact]
    public async Task An_alert_that_cannot_be_mailed_is_retried_with_backoff_and_holds_up_no_other()
    {
        await Smtp.StopAsync();
        long broken;
        try
        {
            broken = await AccountWithAlertsAsync("Broken Co");
            await using var db = fixture.App.Database.CreateContext();
            await db.Alerts.Where(a => a.AccountId == broken).ExecuteUpdateAsync(s => s.SetProperty(a => a.Recipients, "not an address"));
        }
        finally
        {
            await Smtp.StartAgainAsync();
        }
        await AccountWithAlertsAsync("Fine Co");

        Assert.Equal(3, (await WaitForMailsAsync("Fine Co", 3)).Count);
        var watch = Stopwatch.StartNew();
        while ((await AlertsAsync(broken)).Any(a => a.DeliveryAttempts < 3))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the broken alerts are not retried");
            await Task.Delay(100);
        }
        var failing = await AlertsAsync(broken);
        Assert.All(failing, a => Assert.Null(a.DeliveredAt));
        Assert.All(failing, a => Assert.Contains("ParseException", a.DeliveryError));
        Assert.Empty(MailsOf("Broken Co"));

        // Fixed, they go out: nothing was given up.
        await using (var db = fixture.App.Database.CreateContext())
            await db.Alerts.Where(a => a.AccountId == broken).ExecuteUpdateAsync(s => s.SetProperty(a => a.Recipients, "billing@broken.test"));
        Assert.Equal(3, (await WaitForMailsAsync("Broken Co", 3)).Count);
        // The server holds a mail a moment before the mailer records it as delivered (which clears the last error).
        watch.Restart();
        while ((await AlertsAsync(broken)).Any(a => a.DeliveredAt is null))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the mailed alerts are not recorded as delivered");
            await Task.Delay(50);
        }
        Assert.All(await AlertsAsync(broken), a => Assert.Null(a.DeliveryError));
    }

    [Theory]
    [InlineData("Acme", "Acme")]
    [InlineData("Acme\r\nBcc: x@y.test", "Acme Bcc: x@y.test")]
    [InlineData("\nA\tB\u0085C\r", "A B C")]
    [InlineData("  Spaced  out  ", "Spaced  out")]
    public void A_header_value_is_one_line(string value, string expected) => Assert.Equal(expected, AlertMessage.OneLine(value));
}
