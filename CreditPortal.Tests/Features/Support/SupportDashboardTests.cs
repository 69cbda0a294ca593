using Bunit;
using CreditPortal.Features.Support;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;

namespace CreditPortal.Tests.Features.Support;

/// <summary>The support Home: accounts that need attention (running low, sends queued, auto-renew declined, ledger
/// check differences) and, under them, the latest support actions.</summary>
public sealed class SupportDashboardTests : SupportBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    private static List<(string Account, string Reason, string Detail)> Attention(IRenderedComponent<SupportHome> page)
        => page.FindAll("[data-testid=attention-list] tr.attention-row")
            .Select(r => (r.QuerySelector("a")!.TextContent.Trim(), r.QuerySelector("[data-testid=attention-reason]")!.TextContent.Trim(),
                r.QuerySelector("[data-testid=attention-detail]")!.TextContent.Trim()))
            .ToList();

    [Fact]
    public async Task Lists_accounts_running_low_with_sends_queued_or_a_declined_auto_renew_and_not_the_others()
    {
        // Low: 700 left of a 5,000 purchase is 14%, at or below R10's 15%.
        var low = await CreateAccountIdAsync("Low Co");
        var lowList = await Ledger.CreateListAsync(low, "News", Owner);
        await Orders.OrderPackAsync(low, "email-5000", TestPaymentProvider.PayingToken, "k-low", Owner);
        await Ledger.ConsumeAsync(low, new ConsumptionRequest(Channel.Email, lowList, 4_300, null, null, "s1"), Owner);
        // Fine: 4,000 left of 5,000.
        var fine = await CreateAccountIdAsync("Fine Co");
        var fineList = await Ledger.CreateListAsync(fine, "News", Owner);
        await Orders.OrderPackAsync(fine, "email-5000", TestPaymentProvider.PayingToken, "k-fine", Owner);
        await Ledger.ConsumeAsync(fine, new ConsumptionRequest(Channel.Email, fineList, 1_000, null, null, "s1"), Owner);
        // Queued: hold is on and the SMS wallet is empty.
        var queued = await CreateAccountIdAsync("Queue Co");
        var queuedList = await Ledger.CreateListAsync(queued, "Alerts", Owner);
        await Ledger.UpdateSettingsAsync(queued, new SettingsChange(HoldWhenOutOfCredits: true), Owner);
        await Ledger.ConsumeAsync(queued, new ConsumptionRequest(Channel.Sms, queuedList, 40, "IT", null, "s1"), Owner);
        // Declined: the wallet's latest auto-renew attempt.
        var declined = await CreateAccountIdAsync("Declined Co");
        await using (var db = Database.CreateContext())
        {
            var wallet = db.Wallets.Single(w => w.AccountId == declined && w.Channel == Channel.Email);
            db.AutoRenewAttempts.Add(new AutoRenewAttempt { AccountId = declined, WalletId = wallet.Id, Channel = Channel.Email, PackId = "email-5000",
                Attempt = 2, DueAt = Clock.GetUtcNow(), Status = AutoRenewAttemptStatus.Declined, CreatedAt = Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        SignInAsSupport();

        var page = Render<SupportHome>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=attention-list] tr.attention-row")));

        var items = Attention(page);
        Assert.Equal(3, items.Count);
        Assert.Contains(items, i => i is { Account: "Low Co", Reason: "Running low" } && i.Detail == "700 credits left of a 5,000 purchase");
        Assert.Contains(items, i => i is { Account: "Queue Co", Reason: "Sends queued" } && i.Detail == "1 send of 40 messages waiting");
        Assert.Contains(items, i => i is { Account: "Declined Co", Reason: "Auto-renew declined" } && i.Detail.Contains("attempt 2 declined"));
        Assert.DoesNotContain(items, i => i.Account == "Fine Co");
        Assert.Equal($"support/accounts/{low}", page.FindAll("[data-testid=attention-list] tr.attention-row a")
            .Single(a => a.TextContent.Trim() == "Low Co").GetAttribute("href"));
    }

    [Fact]
    public async Task The_ledger_check_runs_on_request_and_a_difference_names_its_account()
    {
        var id = await CreateAccountIdAsync("Acme");
        await Ledger.GrantAdjustmentAsync(id, Channel.Email, 500, null, "test credits", Actor.Support("agent@provider.test"));
        SignInAsSupport();
        var page = Render<SupportHome>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=ledger-check]")));

        await page.Find("[data-testid=ledger-check]").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("every balance matches its entries", page.Find("[data-testid=ledger-check-result]").TextContent));

        // A stored balance its entries do not explain (written behind the ledger's back).
        await using (var db = Database.CreateContext())
        {
            var lot = db.Lots.Single(l => l.AccountId == id && l.Kind == LotKind.Adjustment);
            lot.Remaining = 400;
            await db.SaveChangesAsync();
        }
        await page.Find("[data-testid=ledger-check]").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains(Attention(page), i => i is { Account: "Acme", Reason: "Ledger check difference" }));
        Assert.Contains("difference(s)", page.Find("[data-testid=ledger-check-result]").TextContent);
    }

    [Fact]
    public async Task The_latest_support_actions_are_listed_newest_first_and_owner_changes_are_not()
    {
        var id = await CreateAccountIdAsync("Acme");
        await Ledger.GrantAdjustmentAsync(id, Channel.Email, 500, null, "goodwill after outage", Actor.Support("agent@provider.test"));
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Ledger.CreateListAsync(id, "Owner's own list", Owner);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Ledger.SetProductTypesAsync(id, ["Ticketing"], Actor.Support("bob@provider.test"), "bought ticketing");
        SignInAsSupport();

        var page = Render<SupportHome>();
        // Three by support (the account was created by support too), one by the owner.
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=support-actions] tr.support-action-row").Count));

        var rows = page.FindAll("[data-testid=support-actions] tr.support-action-row");
        Assert.Contains("support:bob@provider.test", rows[0].TextContent);
        Assert.Contains("bought ticketing", rows[0].TextContent);
        Assert.Contains("support:agent@provider.test", rows[1].TextContent);
        Assert.Contains("goodwill after outage", rows[1].TextContent);
        Assert.Contains("account.created", rows[2].TextContent);
        Assert.DoesNotContain("Owner's own list", page.Find("[data-testid=support-actions]").TextContent);
    }
}
