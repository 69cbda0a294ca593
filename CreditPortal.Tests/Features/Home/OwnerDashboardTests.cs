using Bunit;
using HomePage = CreditPortal.Components.Pages.Home;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Features.Home;

/// <summary>The owner's Home: a card per channel and twelve months of spending by list.</summary>
public sealed class OwnerDashboardTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    public OwnerDashboardTests() => Services.AddReports();   // the twelve months of spending come from R12's report

    private static string Figure(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, string channel, string figure)
        => page.Find($"[data-testid=home-wallet-{channel}] [data-testid={figure}] .portal-figure-value").TextContent.Trim();

    [Fact]
    public async Task Each_channel_shows_balance_this_month_against_last_next_expiry_and_forecast()
    {
        var account = await CreateAccountAsync();
        var news = await Ledger.CreateListAsync(account.Id, "News", Owner);
        await Orders.OrderPackAsync(account.Id, "email-5000", TestPaymentProvider.PayingToken, "k1", Owner);
        await Orders.OrderPackAsync(account.Id, "sms-1000", TestPaymentProvider.PayingToken, "k2", Owner);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, news, 1_000, null, null, "november"), Owner);
        Clock.Advance(TimeSpan.FromDays(10));   // 2 December 2026 in Rome: November is last month now
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, news, 250, null, null, "december"), Owner);
        SignInAsOwner(account);

        var page = RenderWithProviders(b => { b.OpenComponent<HomePage>(0); b.CloseComponent(); });
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=home-wallet-Email]")));

        Assert.Equal("3,750", Figure(page, "Email", "balance"));
        Assert.Equal("250", Figure(page, "Email", "this-month"));
        Assert.Equal("1,000", Figure(page, "Email", "last-month"));
        Assert.Contains("\u221275.0% against the whole of last month, with 29 days of this month to go.", page.Find("[data-testid=home-wallet-Email] [data-testid=month-change]").TextContent);
        Assert.Equal("Next expiry: none of these credits expire.", page.Find("[data-testid=home-wallet-Email] [data-testid=next-expiry]").TextContent.Trim());
        Assert.Contains("credits run out around", page.Find("[data-testid=home-wallet-Email] [data-testid=forecast]").TextContent);
        // R3: an SMS pack bought on 22 Nov 2026 is valid until 00:00 Rome time two years later.
        Assert.Equal("Next expiry: 1,000 credits on 22 Nov 2028, 00:00.", page.Find("[data-testid=home-wallet-Sms] [data-testid=next-expiry]").TextContent.Trim());
        Assert.Equal("Nothing spent this month or last month.", page.Find("[data-testid=home-wallet-Sms] [data-testid=month-change]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=home-spending] [data-testid=report-chart]"));
    }

    [Fact]
    public async Task Held_credits_show_apart_from_the_balance_only_while_something_is_held()
    {
        var account = await CreateAccountAsync();
        var news = await Ledger.CreateListAsync(account.Id, "News", Owner);
        await Orders.OrderPackAsync(account.Id, "email-5000", TestPaymentProvider.PayingToken, "k1", Owner);
        await Ledger.PlaceHoldAsync(account.Id, new HoldRequest(Channel.Email, news, 1_200, null, "friday", Clock.GetUtcNow().AddDays(3), "h1"), Owner);
        SignInAsOwner(account);

        var page = RenderWithProviders(b => { b.OpenComponent<HomePage>(0); b.CloseComponent(); });
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=home-wallet-Email]")));

        Assert.Equal("3,800", Figure(page, "Email", "balance"));
        Assert.Equal("1,200", Figure(page, "Email", "held"));
        Assert.Empty(page.FindAll("[data-testid=home-wallet-Sms] [data-testid=held]"));
    }

    [Fact]
    public async Task A_new_account_says_nothing_was_spent()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = RenderWithProviders(b => { b.OpenComponent<HomePage>(0); b.CloseComponent(); });

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=home-spending-empty]")));
        Assert.Equal("0", Figure(page, "Email", "balance"));
        Assert.Empty(page.FindAll("[data-testid=report-chart]"));
    }
}
