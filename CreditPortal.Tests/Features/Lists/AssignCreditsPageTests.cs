using Bunit;
using CreditPortal.Features.Lists;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Features.Lists;

/// <summary>SMS › Credits › Assign credits: the unassigned SMS total and each list's share, assigned from the same dialog.</summary>
public sealed class AssignCreditsPageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    [Fact]
    public async Task Shows_the_unassigned_sms_total_and_assigning_moves_credits_out_of_it()
    {
        var account = await CreateAccountAsync();
        var alerts = await Ledger.CreateListAsync(account.Id, "Alerts", Owner);
        await Ledger.CreateListAsync(account.Id, "Marketing", Owner);
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Sms, 1_000, null, "test credits", Actor.Support("setup@example.test"));
        await Ledger.SetAllocationAsync(account.Id, alerts, Channel.Sms, AllocationMode.Assigned, 200, Owner);
        SignInAsOwner(account);

        var page = RenderPage<AssignCredits>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=assign-credits] [data-testid=lists]")));

        Assert.Equal("800", page.Find("[data-testid=unassigned] .portal-figure-value").TextContent.Trim());
        Assert.Equal("200", page.Find("[data-testid=assigned] .portal-figure-value").TextContent.Trim());
        Assert.Equal("1,000", page.Find("[data-testid=total] .portal-figure-value").TextContent.Trim());
        Assert.Contains("Credits", page.Find(".mud-breadcrumbs").TextContent);
        Assert.Contains("Assign credits", page.Find(".mud-breadcrumbs").TextContent);
        var marketing = page.FindAll("tr.list-row").Single(r => r.QuerySelector("[data-testid=list-name]")!.TextContent.Trim() == "Marketing");
        Assert.Equal("Shared pool", marketing.QuerySelector("[data-testid=allocation]")!.TextContent.Trim());

        marketing.QuerySelector("[data-testid=assign]")!.Click();
        page.WaitForAssertion(() => Assert.Contains("Unassigned SMS credits: 800", page.Find("[data-testid=allocation-dialog]").TextContent));
        page.FindAll("[data-testid=allocation-mode] input[type=radio]")[1].Click();   // "Only its own assigned credits"
        page.WaitForAssertion(() => Assert.NotNull(page.Find("input[name=allocation-assigned]")));
        page.Find("input[name=allocation-assigned]").Input("300");
        page.Find("form#allocation").Submit();

        page.WaitForAssertion(() => Assert.Equal("500", page.Find("[data-testid=unassigned] .portal-figure-value").TextContent.Trim()));
        Assert.Equal(500, (await WalletAsync(account.Id, Channel.Sms)).Unassigned);
        Assert.Equal(0, (await WalletAsync(account.Id)).Lists.Sum(l => l.Assigned));   // the Email wallet is not touched
    }
}
