using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Support;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Support;

/// <summary>R7 "Help me choose": requests with the monthly volume, open on the support dashboard, answered and closed, each step audited.</summary>
public sealed class PlanHelpTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Agent = Actor.Support("Olivia Ops");

    private static PlanHelp Help(LedgerHarness h) => new(h.Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>(), h.Clock);

    [Fact]
    public async Task A_request_is_open_for_support_answered_and_closed_and_each_step_is_in_the_account_s_audit_trail()
    {
        await using var h = LedgerHarness.Start(Start);
        var help = Help(h);
        var id = await h.CreateAccountAsync("Chooser");

        var request = await help.RequestAsync(id, 40_000, "  Mostly newsletters, a few SMS.  ", LedgerHarness.Owner);

        var open = Assert.Single(await help.OpenAsync());
        Assert.Equal((request, id, "Chooser", 40_000L, "Mostly newsletters, a few SMS.", Start), (open.Id, open.AccountId, open.AccountName, open.MonthlyVolume, open.Message, open.RequestedAt));
        h.Clock.Advance(TimeSpan.FromHours(2));
        await help.AnswerAsync(request, "Monthly 50,000 fits: 55.00 a cycle.", Agent);
        var answered = Assert.Single(await help.ForAccountAsync(id));
        Assert.Equal(("Monthly 50,000 fits: 55.00 a cycle.", (DateTimeOffset?)Start.AddHours(2), "support:Olivia Ops", true),
            (answered.Answer, answered.AnsweredAt, answered.AnsweredBy, answered.Open));
        Assert.Single(await help.OpenAsync()); // answered is not closed: support may add to it

        await help.CloseAsync(request, Agent);
        Assert.Empty(await help.OpenAsync());
        Assert.False(Assert.Single(await help.ForAccountAsync(id)).Open); // the owner still reads it
        var closedAgain = await Assert.ThrowsAsync<LedgerRuleException>(() => help.AnswerAsync(request, "More", Agent));
        Assert.Equal("request_closed", closedAgain.Code);
        await Assert.ThrowsAsync<LedgerRuleException>(() => help.CloseAsync(request, Agent));

        var audit = (await h.Queries.GetAuditAsync(id)).Items.OrderBy(a => a.Id).Where(a => a.Action.StartsWith("plan.help.")).ToList();
        Assert.Equal(["plan.help.requested", "plan.help.answered", "plan.help.closed"], audit.Select(a => a.Action));
        Assert.Equal(("owner:owner@example.test", "monthly volume 40000"), (audit[0].Actor, audit[0].After));
        Assert.Equal(("support:Olivia Ops", "Monthly 50,000 fits: 55.00 a cycle."), (audit[1].Actor, audit[1].After));
        Assert.Equal("support:Olivia Ops", audit[2].Actor);
    }

    [Fact]
    public async Task An_owner_sees_only_their_own_account_s_requests()
    {
        await using var h = LedgerHarness.Start(Start);
        var help = Help(h);
        var mine = await h.CreateAccountAsync("Mine");
        var theirs = await h.CreateAccountAsync("Theirs");
        await help.RequestAsync(mine, 1_000, null, LedgerHarness.Owner);
        await help.RequestAsync(theirs, 2_000, "their secret plans", Actor.Owner("x@theirs.test"));

        var own = Assert.Single(await help.ForAccountAsync(mine));
        Assert.Equal(1_000, own.MonthlyVolume);
        Assert.DoesNotContain(await help.ForAccountAsync(mine), r => r.AccountId == theirs);
        Assert.Equal(2, (await help.OpenAsync()).Count); // support sees both
    }

    [Theory]
    [InlineData(null, null, "monthlyVolume")]
    [InlineData(0L, null, "monthlyVolume")]
    [InlineData(1_000_000_001L, null, "monthlyVolume")]
    [InlineData(5_000L, "x2001", "message")]
    public async Task Bad_input_is_refused_at_the_field_and_records_nothing(long? volume, string? message, string field)
    {
        await using var h = LedgerHarness.Start(Start);
        var help = Help(h);
        var id = await h.CreateAccountAsync();
        var text = message == "x2001" ? new string('x', 2_001) : message;

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() => help.RequestAsync(id, volume, text, LedgerHarness.Owner));

        Assert.Equal(field, refused.Field);
        Assert.Empty(await help.ForAccountAsync(id));
        Assert.DoesNotContain((await h.Queries.GetAuditAsync(id)).Items, a => a.Action.StartsWith("plan.help."));
        var empty = await Assert.ThrowsAsync<LedgerValidationException>(() => help.AnswerAsync(1, " ", Actor.Support("s")));
        Assert.Equal("answer", empty.Field);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => help.RequestAsync(4242, 10, null, LedgerHarness.Owner));
    }
}
