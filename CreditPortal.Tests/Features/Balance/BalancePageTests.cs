using Microsoft.Extensions.DependencyInjection;
using Bunit;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using BalancePage = CreditPortal.Features.Balance.Balance;

namespace CreditPortal.Tests.Features.Balance;

public sealed class BalancePageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    [Fact]
    public async Task Empty_account_shows_zero_credits_no_lots_no_forecast_and_no_free_quota()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Email]")));
        var email = page.Find("[data-testid=wallet-Email]");
        Assert.Equal("0", email.QuerySelector("[data-testid=total] .portal-figure-value")!.TextContent.Trim());
        Assert.Contains("No credits.", email.QuerySelector("[data-testid=lots]")!.TextContent);
        Assert.Contains("No lists yet.", email.QuerySelector("[data-testid=lists]")!.TextContent);
        Assert.Contains("no credits left", email.QuerySelector("[data-testid=forecast]")!.TextContent);
        OpenDetails(page);
        Assert.Contains("No product of this account grants free monthly credits.", page.Find("[data-testid=wallet-Email] [data-testid=free-quota]").TextContent);
        Assert.Null(page.Find("[data-testid=wallet-Sms]").QuerySelector("[data-testid=free-quota]"));
        Assert.Null(page.Find("[data-testid=wallet-Sms]").QuerySelector("[data-testid=details]"));
    }

    [Fact]
    public async Task Credits_expiring_within_30_days_show_the_expiry_reminder_with_the_forecast_rate()
    {
        var account = await CreateAccountAsync();
        var news = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        var sixteenthOfDecemberInRome = new DateTimeOffset(2026, 12, 15, 23, 0, 0, TimeSpan.Zero);
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Sms, 2_750, sixteenthOfDecemberInRome, "goodwill", Actor.Support("agent@example.test"));
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Sms, 500, sixteenthOfDecemberInRome.AddDays(31), "later", Actor.Support("agent@example.test"));
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Sms, news, 300, "IT", null, "s1"), Owner);
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Sms]")));
        // 300 over 30 days is 10 a day; 23 days and 14 hours are left until 00:00 on 16 Dec in Rome. The lot expiring
        // 31 days later is beyond the reminders' reach.
        var reminder = Assert.Single(page.FindAll("[data-testid=wallet-Sms] [data-testid=expiring-soon]"));
        Assert.Equal("2,450 SMS credits expire on 16 Dec 2026; at your current rate you will use 235 of them.", reminder.TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=wallet-Email] [data-testid=expiring-soon]"));
    }

    [Fact]
    public async Task Normal_account_shows_totals_lots_in_consumption_order_caps_forecast_and_free_quota_details()
    {
        var account = await CreateAccountAsync(productTypes: ["Ticketing", "Domain"]);
        var news = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        var promo = await Ledger.CreateListAsync(account.Id, "Promotions", Owner);
        await Orders.OrderPackAsync(account.Id, "email-10000", TestPaymentProvider.PayingToken, "k1", Owner);
        await Orders.OrderPackAsync(account.Id, "sms-1000", TestPaymentProvider.PayingToken, "k2", Owner);
        await Ledger.SetAllocationAsync(account.Id, news, Channel.Email, AllocationMode.Assigned, 2_000, Owner);
        await Ledger.SetCapAsync(account.Id, promo, Channel.Email, true, 3_000, Owner);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, promo, 3_000, null, "teaser", "s1"), Owner);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Sms, news, 10, "US", null, "s2"), Owner);
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Email]")));
        var email = page.Find("[data-testid=wallet-Email]");
        // 2,750 free (Ticketing 2,500 + Domain 250) + 10,000 purchased − 3,000 sent.
        Assert.Equal("9,750", Figure(email, "total"));
        Assert.Equal("7,750", Figure(email, "unassigned"));
        Assert.Equal("3,000", Figure(email, "sent-this-month"));
        // R1: the non-expiring purchase is spent first (it paid for the 3,000), the expiring free lot after it.
        var lots = email.QuerySelectorAll("tr.lot-row").Select(r => r.TextContent).ToList();
        Assert.Equal(2, lots.Count);
        Assert.Contains("Purchased", lots[0]);
        Assert.Contains("7,000 of 10,000", lots[0]);
        Assert.Contains("never", lots[0]);
        Assert.Contains("Monthly free", lots[1]);
        Assert.Contains("2,750 of 2,750", lots[1]);
        Assert.Contains("1 Dec 2026, 00:00", lots[1]);
        var caps = email.QuerySelectorAll("tr.list-row").ToDictionary(r => r.Children[0].TextContent.Trim(), r => r.QuerySelector("[data-testid=cap]")!.TextContent);
        Assert.Equal("no limit", caps["Newsletter"]);
        Assert.Equal("3,000 of 3,000 — limit reached", caps["Promotions"]);
        // 3,000 over 30 days is 100 a day: 9,750 left → the 7,000 last 70 days, but the free 2,750 expire on 1 Dec first.
        var forecast = email.QuerySelector("[data-testid=forecast]")!.TextContent;
        Assert.Contains("about 100 credits a day", forecast);
        Assert.Contains("run out around 31 Jan 2027", forecast);
        Assert.Contains("2,750 of them expire before they would be used", forecast);
        // R2's details are behind the card's Details button, not always open.
        Assert.Null(email.QuerySelector("[data-testid=free-quota]"));
        OpenDetails(page);
        email = page.Find("[data-testid=wallet-Email]");
        var quota = email.QuerySelectorAll("tr.quota-row").Select(r => r.TextContent).ToList();
        Assert.Equal(["Domain250", "Ticketing2,500"], quota.Select(q => q.Replace(" ", "").Replace("\n", "")).ToList());
        Assert.Equal("2,750", email.QuerySelector("[data-testid=quota-total]")!.TextContent.Trim());
        Assert.Equal("true", email.QuerySelector("[data-testid=details]")!.GetAttribute("aria-expanded"));

        var sms = page.Find("[data-testid=wallet-Sms]");
        Assert.Equal("980", Figure(sms, "total"));
        Assert.Equal("10", Figure(sms, "sent-this-month"));
        // R3: bought 22 Nov 2026 in Rome → expires 22 Nov 2028 at 00:00 Rome time.
        Assert.Contains("22 Nov 2028, 00:00", page.Find("[data-testid=wallet-Sms] tr.lot-row").TextContent);
    }

    [Fact]
    public async Task Instants_are_shown_in_the_account_s_time_zone_not_the_server_s()
    {
        var account = await CreateAccountAsync(timeZone: "America/New_York");
        await Orders.OrderPackAsync(account.Id, "sms-1000", TestPaymentProvider.PayingToken, "k1", Owner);
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        // Bought 22 Nov 2026 09:00 UTC = 04:00 in New York: expiry is 00:00 New York time on 22 Nov 2028.
        page.WaitForAssertion(() => Assert.Contains("22 Nov 2028, 00:00", page.Find("[data-testid=wallet-Sms] tr.lot-row").TextContent));
    }

    [Fact]
    public async Task Each_channel_s_card_leads_to_order_sendings_for_that_channel()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Sms]")));
        foreach (var channel in new[] { "Email", "Sms" })
        {
            var link = page.Find($"[data-testid=wallet-{channel}] a[data-testid=get-sendings]");
            Assert.Equal("Get Sendings", link.Text());
            Assert.Equal($"accounts/{account.Id}/get-sendings?channel={channel}", link.GetAttribute("href"));
        }
    }

    [Fact]
    public async Task Running_low_shows_the_banner_with_the_credits_left_and_the_refill_button_only_on_that_channel()
    {
        var account = await CreateAccountAsync();
        var news = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        await Orders.OrderPackAsync(account.Id, "email-10000", TestPaymentProvider.PayingToken, "k1", Owner);
        await Orders.OrderPackAsync(account.Id, "sms-1000", TestPaymentProvider.PayingToken, "k2", Owner);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, news, 8_500, null, null, "s1"), Owner); // 1,500 left: 15%
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Sms, news, 849, "IT", null, "s2"), Owner); // 151 left: above 15%
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Email] [data-testid=low-balance]")));
        var banner = page.Find("[data-testid=wallet-Email] [data-testid=low-balance]");
        Assert.Contains("1,500 Email credits left", banner.TextContent);
        Assert.Contains("10,000", banner.TextContent);
        var refill = banner.QuerySelector("a[data-testid=refill]")!;
        Assert.Equal($"accounts/{account.Id}/get-sendings?channel=Email", refill.GetAttribute("href"));
        Assert.Null(page.Find("[data-testid=wallet-Sms]").QuerySelector("[data-testid=low-balance]"));
    }

    [Fact]
    public async Task Without_a_purchase_there_is_no_running_low_banner_even_at_zero()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Email]")));
        Assert.Empty(page.FindAll("[data-testid=low-balance]"));
    }

    [Fact]
    public async Task A_queued_send_is_cancelled_after_the_confirmation_and_the_one_behind_it_goes()
    {
        var (account, big, small) = await QueuedSendsAsync();
        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=wallet-Email] tr.queued-row").Count));
        var rows = page.FindAll("tr.queued-row").Select(r => r.TextContent).ToList();
        Assert.Contains($"#{big}", rows[0]);   // queue order: the big one first, the small one waits behind it
        Assert.Contains("150", rows[0]);
        Assert.Contains("credits", rows[0]);
        Assert.Contains("Newsletter", rows[0]);
        Assert.Contains($"#{small}", rows[1]);

        page.Find($"form#cancel-send-{big}").Submit();
        page.WaitForAssertion(() => Assert.Contains($"Cancel send #{big}: 150 Email messages to Newsletter?", page.Find(".mud-dialog").TextContent));
        Assert.Equal(ConsumptionStatus.Queued, (await ConsumptionAsync(account, big)).Status);   // not before the confirmation
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Cancel the send")).Click();

        page.WaitForAssertion(() => Assert.Contains($"Send #{big} cancelled", page.Find(".mud-snackbar").TextContent));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=queued-sends]")));
        var cancelled = await ConsumptionAsync(account, big);
        Assert.Equal((ConsumptionStatus.Rejected, "cancelled"), (cancelled.Status, cancelled.Reason));
        Assert.Equal(ConsumptionStatus.Accepted, (await ConsumptionAsync(account, small)).Status);
        Assert.Equal(50, (await WalletAsync(account.Id)).Total);
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items,
            a => a.Action == "consumption.Email" && a.After == "cancelled" && a.Actor == "owner:owner@example.test");
        Assert.Empty(await Services.GetRequiredService<LedgerCheck>().RunAsync());
    }

    [Fact]
    public async Task Keeping_a_queued_send_at_the_confirmation_changes_nothing()
    {
        var (account, big, _) = await QueuedSendsAsync();
        var page = RenderPage<BalancePage>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find($"form#cancel-send-{big}")));

        page.Find($"form#cancel-send-{big}").Submit();
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".mud-dialog")));
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Keep it")).Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.Equal(2, page.FindAll("tr.queued-row").Count);
        Assert.Empty(page.FindAll(".mud-snackbar"));
        Assert.Equal(ConsumptionStatus.Queued, (await ConsumptionAsync(account, big)).Status);
        Assert.DoesNotContain((await Queries.GetAuditAsync(account.Id)).Items, a => a.After == "cancelled");
    }

    [Fact]
    public async Task A_hold_shows_as_held_apart_from_the_total_and_is_released_after_the_confirmation()
    {
        var account = await CreateAccountAsync();
        var news = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Email, 1_000, null, "test", Actor.Support("setup@example.test"));
        var hold = (await Ledger.PlaceHoldAsync(account.Id,
            new HoldRequest(Channel.Email, news, 400, null, "Friday campaign", Clock.GetUtcNow().AddDays(3), "friday"), Owner)).Hold;
        SignInAsOwner(account);

        var page = RenderPage<BalancePage>(account.Id);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=wallet-Email] tr.hold-row")));
        var email = page.Find("[data-testid=wallet-Email]");
        Assert.Equal("600", email.QuerySelector("[data-testid=total] .portal-figure-value")!.TextContent.Trim());
        Assert.Equal("400", email.QuerySelector("[data-testid=held] .portal-figure-value")!.TextContent.Trim());
        var row = page.Find("tr.hold-row").TextContent;
        Assert.Contains($"#{hold.Id}", row);
        Assert.Contains("Newsletter", row);
        Assert.Contains("Friday campaign", row);
        Assert.Contains("25 Nov 2026, 10:00", row); // its end in Rome
        Assert.Contains("the 400 held are planned sends", email.QuerySelector("[data-testid=forecast-held]")!.TextContent);
        Assert.Empty(page.FindAll("[data-testid=wallet-Sms] [data-testid=holds]"));

        page.Find($"form#release-hold-{hold.Id}").Submit();
        page.WaitForAssertion(() => Assert.Contains($"Release hold #{hold.Id}: 400 Email credits held for 400 messages to Newsletter?",
            page.Find(".mud-dialog").TextContent));
        Assert.Equal(HoldStatus.Active, (await Queries.GetHoldAsync(account.Id, hold.Id))!.Status); // not before the confirmation
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Release the hold")).Click();

        page.WaitForAssertion(() => Assert.Contains($"Hold #{hold.Id} released", page.Find(".mud-snackbar").TextContent));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=holds]")));
        Assert.Equal(HoldStatus.Voided, (await Queries.GetHoldAsync(account.Id, hold.Id))!.Status);
        Assert.Equal((1_000L, 0L), ((await WalletAsync(account.Id)).Total, (await WalletAsync(account.Id)).Held));
        Assert.Contains((await Queries.GetAuditAsync(account.Id)).Items,
            a => a.Action == "hold.Email" && a.After == "voided: released" && a.Actor == "owner:owner@example.test");
        Assert.Empty(await Services.GetRequiredService<LedgerCheck>().RunAsync());
    }

    /// <summary>Hold on, 100 credits: a send of 150 queues, and one of 50 queues behind it (R9 keeps the order).</summary>
    private async Task<(Account Account, long Big, long Small)> QueuedSendsAsync()
    {
        var account = await CreateAccountAsync();
        var news = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        await Ledger.UpdateSettingsAsync(account.Id, new SettingsChange(HoldWhenOutOfCredits: true), Owner);
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Email, 100, null, "test", Actor.Support("setup@example.test"));
        var big = await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, news, 150, null, null, "big"), Owner);
        var small = await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, news, 50, null, null, "small"), Owner);
        Assert.Equal((ConsumptionStatus.Queued, ConsumptionStatus.Queued), (big.Status, small.Status));
        SignInAsOwner(account);
        return (account, big.Id, small.Id);
    }

    private async Task<ConsumptionView> ConsumptionAsync(Account account, long id)
        => (await Queries.GetConsumptionsAsync(account.Id, new ConsumptionFilter(), null)).Items.Single(c => c.Id == id);

    [Fact]
    public async Task Details_open_and_close_again()
    {
        var account = await CreateAccountAsync(productTypes: ["Ticketing"]);
        SignInAsOwner(account);
        var page = RenderPage<BalancePage>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Email] [data-testid=details]")));
        Assert.Equal("false", page.Find("[data-testid=details]").GetAttribute("aria-expanded"));

        OpenDetails(page);
        Assert.Equal("2,500", page.Find("[data-testid=quota-total]").TextContent.Trim());
        page.Find("[data-testid=details]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=free-quota]")));
        Assert.Equal("false", page.Find("[data-testid=details]").GetAttribute("aria-expanded"));
    }

    private static void OpenDetails(IRenderedComponent<Bunit.Rendering.ContainerFragment> page)
    {
        page.Find("[data-testid=wallet-Email] [data-testid=details]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=wallet-Email] [data-testid=free-quota]")));
    }

    private static string Figure(AngleSharp.Dom.IElement scope, string testId)
        => scope.QuerySelector($"[data-testid={testId}] .portal-figure-value")!.TextContent.Trim();
}
