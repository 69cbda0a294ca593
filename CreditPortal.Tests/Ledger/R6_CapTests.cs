using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R6_CapTests
{
    // 20 Nov 2026, 10:00 in Rome.
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task R6_ACapHitExactlyAtItsLimit_AllowsTheLimitAndRefusesOneMore()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 10_000);
        var list = await h.Ledger.CreateListAsync(id, "Promo", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 100, LedgerHarness.Owner);

        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 60)).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 40)).Status);
        var refused = await h.SendAsync(id, list, 1);

        Assert.Equal(ConsumptionStatus.Rejected, refused.Status);
        Assert.Equal(ConsumptionReasons.MonthlyCap, refused.Reason);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(9_900, wallet.Total);
        Assert.Equal(100, wallet.Lists.Single().SentThisMonth);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R6_TheCapCountsMessagesNotCredits_AnSmsToTheUsIsOneMessage()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000, null, Channel.Sms);
        var list = await h.Ledger.CreateListAsync(id, "Alerts", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, list, Channel.Sms, true, 10, LedgerHarness.Owner);

        var us = await h.SendAsync(id, list, 10, Channel.Sms, "US");

        Assert.Equal(ConsumptionStatus.Accepted, us.Status);
        var wallet = await h.WalletAsync(id, Channel.Sms);
        Assert.Equal(980, wallet.Total);
        Assert.Equal(10, wallet.Lists.Single().SentThisMonth);
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 1, Channel.Sms, "IT")).Reason);
    }

    [Fact]
    public async Task R6_TheCapResetsAtTheLocalMonthStart()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 10_000);
        var list = await h.Ledger.CreateListAsync(id, "Promo", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, list, Channel.Email, true, 50, LedgerHarness.Owner);
        await h.SendAsync(id, list, 50);

        // 30 Nov 23:59 in Rome: still November.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 22, 59, 0, TimeSpan.Zero));
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, list, 1)).Reason);
        // 1 Dec 00:00 in Rome.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 50)).Status);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R6_CapsArePerListAndChannel_AndOffMeansNoCap()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 10_000);
        var capped = await h.Ledger.CreateListAsync(id, "Capped", LedgerHarness.Owner);
        var free = await h.Ledger.CreateListAsync(id, "Free", LedgerHarness.Owner);
        await h.Ledger.SetCapAsync(id, capped, Channel.Email, true, 10, LedgerHarness.Owner);

        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, free, 500)).Status);
        Assert.Equal(ConsumptionReasons.MonthlyCap, (await h.SendAsync(id, capped, 11)).Reason);
        await h.Ledger.SetCapAsync(id, capped, Channel.Email, false, null, LedgerHarness.Owner);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, capped, 11)).Status);
        var wallet = await h.WalletAsync(id);
        var cappedView = wallet.Lists.Single(l => l.Id == capped);
        Assert.False(cappedView.CapEnabled);
        Assert.Equal(10, cappedView.CapPerMonth);
    }
}
