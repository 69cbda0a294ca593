using Bunit;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Features.Lists;

public sealed class ListsPageTests : PortalBunitContext
{
    private static readonly Actor Owner = Actor.Owner("owner@example.test");

    /// <summary>5,000 Email credits; Newsletter assigned 1,000, Promotions shared with a cap of 300 and 300 sent.</summary>
    private async Task<(Account Account, long Newsletter, long Promotions)> SeedAsync()
    {
        var account = await CreateAccountAsync();
        var newsletter = await Ledger.CreateListAsync(account.Id, "Newsletter", Owner);
        var promotions = await Ledger.CreateListAsync(account.Id, "Promotions", Owner);
        await Ledger.GrantAdjustmentAsync(account.Id, Channel.Email, 5_000, null, "test credits", Actor.Support("setup@example.test"));
        await Ledger.SetAllocationAsync(account.Id, newsletter, Channel.Email, AllocationMode.Assigned, 1_000, Owner);
        await Ledger.ConsumeAsync(account.Id, new ConsumptionRequest(Channel.Email, promotions, 300, null, null, "s1"), Owner);
        await Ledger.SetCapAsync(account.Id, promotions, Channel.Email, true, 300, Owner);
        return (account, newsletter, promotions);
    }

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> Open(Account account)
    {
        var page = RenderPage<CreditPortal.Features.Lists.Lists>(account.Id);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=lists]")));
        return page;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, string name)
        => page.FindAll("tr.list-row").Single(r => r.QuerySelector("[data-testid=list-name]")!.TextContent.Trim() == name);

    /// <summary>Opens the list's ⋮ menu and chooses <paramref name="action"/> (the item's data-testid).</summary>
    private static void Act(IRenderedComponent<Bunit.Rendering.ContainerFragment> page, string list, string action)
    {
        Row(page, list).QuerySelector("[data-testid=list-actions] button")!.Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find($".mud-popover-open [data-testid={action}]")));
        page.Find($".mud-popover-open [data-testid={action}]").Click();
    }

    [Fact]
    public async Task Each_list_shows_per_channel_its_mode_assignment_sent_this_month_and_cap()
    {
        var (account, _, _) = await SeedAsync();
        SignInAsOwner(account);

        var page = Open(account);

        Assert.Equal("Assigned: 1,000 credits", Row(page, "Newsletter").QuerySelector("[data-testid=allocation-Email]")!.Text());
        Assert.Equal("Shared pool", Row(page, "Newsletter").QuerySelector("[data-testid=allocation-Sms]")!.Text());
        Assert.Equal("0 (no limit)", Row(page, "Newsletter").QuerySelector("[data-testid=cap-Email]")!.Text());
        Assert.Equal("300 of 300 a month", Row(page, "Promotions").QuerySelector("[data-testid=cap-Email]")!.Text());
        Assert.NotNull(Row(page, "Promotions").QuerySelector("[data-testid=cap-reached-Email]"));
        Assert.Null(Row(page, "Newsletter").QuerySelector("[data-testid=cap-reached-Email]"));
        Assert.Equal("3,700", page.Find("[data-testid=unassigned-Email] .portal-figure-value").TextContent.Trim());
    }

    [Fact]
    public async Task No_lists_yet_says_so_and_offers_to_create_one()
    {
        var account = await CreateAccountAsync();
        SignInAsOwner(account);

        var page = Open(account);

        Assert.Contains("No lists yet", page.Find("[data-testid=lists]").TextContent);
        Assert.NotNull(page.Find("[data-testid=create-list] input[name=new-list-name]"));
    }

    [Fact]
    public async Task Assigning_more_than_the_unassigned_pool_is_refused_at_the_field_with_the_amount_available()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-allocation-Email");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=allocation-dialog]")));
        page.Find("input[name=allocation-assigned]").Input("5000");
        page.Find("form#allocation").Submit();

        page.WaitForAssertion(() => Assert.Equal(
            "Only 3,700 Email credits are unassigned; the list can be assigned at most 4,700.",
            page.Find("[data-testid=allocation-dialog] #allocation-assigned-message").Text()));
        // The refusal sits under the amount, which is marked invalid and described by it.
        Assert.Equal("true", page.Find("input[name=allocation-assigned]").GetAttribute("aria-invalid"));
        Assert.Contains("allocation-assigned-message", page.Find("input[name=allocation-assigned]").GetAttribute("aria-describedby"));
        Assert.Equal(1_000, (await WalletAsync(account.Id)).Lists.Single(l => l.Id == newsletter).Assigned);
    }

    [Fact]
    public async Task Assigning_within_the_pool_saves_and_the_row_and_pool_update()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-allocation-Email");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=allocation-dialog]")));
        page.Find("input[name=allocation-assigned]").Input("4700");
        page.Find("form#allocation").Submit();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=allocation-dialog]")));
        page.WaitForAssertion(() => Assert.Equal("Assigned: 4,700 credits", Row(page, "Newsletter").QuerySelector("[data-testid=allocation-Email]")!.Text()));
        Assert.Equal("0", page.Find("[data-testid=unassigned-Email] .portal-figure-value").TextContent.Trim());
        Assert.Equal(4_700, (await WalletAsync(account.Id)).Lists.Single(l => l.Id == newsletter).Assigned);
    }

    [Fact]
    public async Task Switching_a_list_back_to_shared_returns_its_credits_to_the_pool()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-allocation-Email");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=allocation-dialog]")));
        page.FindAll("[data-testid=allocation-mode] input[type=radio]")[0].Click();   // "The shared pool"
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("input[name=allocation-assigned]")));
        page.Find("form#allocation").Submit();

        page.WaitForAssertion(() => Assert.Equal("Shared pool", Row(page, "Newsletter").QuerySelector("[data-testid=allocation-Email]")!.Text()));
        var wallet = await WalletAsync(account.Id);
        Assert.Equal(AllocationMode.Shared, wallet.Lists.Single(l => l.Id == newsletter).Mode);
        Assert.Equal(4_700, wallet.Unassigned);
    }

    [Fact]
    public async Task Setting_a_sending_limit_switches_it_on_with_its_maximum()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-cap-Sms");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=cap-dialog]")));
        Assert.True(page.Find("input[name=cap-per-month]").HasAttribute("disabled"));   // off: no maximum to type
        page.Find("input[name=cap-enabled]").Change(true);
        page.WaitForAssertion(() => Assert.False(page.Find("input[name=cap-per-month]").HasAttribute("disabled")));
        page.Find("input[name=cap-per-month]").Input("250");
        page.Find("form#cap").Submit();

        page.WaitForAssertion(() => Assert.Equal("0 of 250 a month", Row(page, "Newsletter").QuerySelector("[data-testid=cap-Sms]")!.Text()));
        var list = (await WalletAsync(account.Id, Channel.Sms)).Lists.Single(l => l.Id == newsletter);
        Assert.True(list.CapEnabled);
        Assert.Equal(250, list.CapPerMonth);
    }

    [Fact]
    public async Task A_limit_switched_on_without_a_maximum_asks_for_it_at_the_field()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-cap-Email");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=cap-dialog]")));
        page.Find("input[name=cap-enabled]").Change(true);
        page.Find("form#cap").Submit();

        page.WaitForAssertion(() => Assert.Contains("Enter the maximum", page.Find("[data-testid=cap-dialog] #cap-perMonth-message").TextContent));
        Assert.False((await WalletAsync(account.Id)).Lists.Single(l => l.Id == newsletter).CapEnabled);
    }

    [Fact]
    public async Task Lists_are_created_and_renamed_and_a_duplicate_name_is_refused_at_the_field()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        page.Find("input[name=new-list-name]").Input("Transactional");
        page.Find("[data-testid=create-list]").Submit();
        page.WaitForAssertion(() => Assert.NotNull(Row(page, "Transactional")));
        Assert.Equal("Shared pool", Row(page, "Transactional").QuerySelector("[data-testid=allocation-Email]")!.Text());

        page.Find("input[name=new-list-name]").Input("newsletter");
        page.Find("[data-testid=create-list]").Submit();
        page.WaitForAssertion(() => Assert.Equal("A list named 'newsletter' already exists.",
            page.Find("[data-testid=create-list] #create-list-name-message").Text()));

        Act(page, "Newsletter", "rename");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=rename-dialog]")));
        page.Find("[data-testid=rename-dialog] input[name=rename-list-name]").Input("Weekly news");
        page.Find("form#rename-list").Submit();
        page.WaitForAssertion(() => Assert.NotNull(Row(page, "Weekly news")));
        Assert.Equal(3, (await Queries.GetListsAsync(account.Id)).Count);
        Assert.Equal("Weekly news", (await Queries.GetListsAsync(account.Id)).Single(l => l.Id == newsletter).Name);
    }

    [Fact]
    public async Task Support_must_give_a_reason_for_an_allocation_and_it_lands_in_the_audit_trail()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsSupport("agent@example.test");
        var page = Open(account);

        Act(page, "Newsletter", "edit-allocation-Email");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=allocation-dialog] [data-testid=reason]")));
        page.Find("input[name=allocation-assigned]").Input("2000");
        page.Find("form#allocation").Submit();
        page.WaitForAssertion(() => Assert.Equal("reason is required.", page.Find("[data-testid=allocation-dialog] #allocation-reason-message").Text()));
        Assert.Equal(1_000, (await WalletAsync(account.Id)).Lists.Single(l => l.Id == newsletter).Assigned);

        page.Find("input[name=allocation-reason]").Change("Customer asked by phone, ticket 4711");
        page.Find("form#allocation").Submit();

        page.WaitForAssertion(() => Assert.Equal("Assigned: 2,000 credits", Row(page, "Newsletter").QuerySelector("[data-testid=allocation-Email]")!.Text()));
        var audit = (await Queries.GetAuditAsync(account.Id)).Items[0]; // newest first
        Assert.Equal("support:Agent Smith", audit.Actor);   // support acts under its display name (issue #12)
        Assert.Equal("Customer asked by phone, ticket 4711", audit.Reason);
    }

    [Fact]
    public async Task Owners_are_not_asked_for_a_reason()
    {
        var (account, _, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-cap-Email");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=cap-dialog]")));
        Assert.Empty(page.FindAll("[data-testid=reason]"));
    }

    [Fact]
    public async Task Each_row_s_action_menu_offers_assign_credits_and_a_sending_limit_per_channel_and_rename()
    {
        var (account, _, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        var button = Row(page, "Promotions").QuerySelector("[data-testid=list-actions] button")!;
        Assert.Equal("Actions for Promotions", button.GetAttribute("aria-label"));
        button.Click();

        page.WaitForAssertion(() => Assert.Equal(
            ["Assign Email credits", "Set an Email sending limit", "Assign SMS credits", "Set an SMS sending limit", "Rename"],
            page.FindAll(".mud-popover-open .mud-menu-item").Select(i => i.TextContent.Trim()).ToList()));
        page.Find(".mud-popover-open [data-testid=edit-cap-Email]").Click();
        // The dialog is the one for that list and channel: its current cap is filled in.
        page.WaitForAssertion(() => Assert.Contains("Promotions", page.Find(".mud-dialog").TextContent));
        Assert.Equal("300", page.Find("input[name=cap-per-month]").GetAttribute("value"));
        Assert.Contains("Set an Email sending limit", page.Find(".mud-dialog").TextContent);
    }

    [Fact]
    public async Task Cancelling_a_dialog_changes_nothing()
    {
        var (account, newsletter, _) = await SeedAsync();
        SignInAsOwner(account);
        var page = Open(account);

        Act(page, "Newsletter", "edit-allocation-Email");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=allocation-dialog]")));
        page.Find("input[name=allocation-assigned]").Input("2000");
        page.Find("[data-testid=allocation-cancel]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=allocation-dialog]")));
        Assert.Equal(1_000, (await WalletAsync(account.Id)).Lists.Single(l => l.Id == newsletter).Assigned);
        Assert.Equal("Assigned: 1,000 credits", Row(page, "Newsletter").QuerySelector("[data-testid=allocation-Email]")!.Text());
    }
}
