using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Issue #17, the spending cap per API key: a send through a key whose credits this local month would pass its cap is
/// Rejected with <c>key_cap</c>, draws nothing and is never queued; the month is the account's; the dry run agrees.
/// </summary>
public sealed class ApiKeyCapTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Script = Actor.ApiKey("script", 7);

    private static async Task<(long Account, long List)> AccountWith(LedgerHarness h, long credits, Channel channel = Channel.Email, bool hold = false)
    {
        var account = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(account, "News", LedgerHarness.Owner);
        await h.GrantAsync(account, credits, null, channel);
        if (hold) await h.Ledger.UpdateSettingsAsync(account, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        return (account, list);
    }

    private static Task<ConsumptionResult> Send(LedgerHarness h, long account, long list, long quantity, SendingKey? key,
        Channel channel = Channel.Email, string? country = null)
        => h.Ledger.ConsumeAsync(account, new ConsumptionRequest(channel, list, quantity, country, null, Guid.NewGuid().ToString("N")), Script, key);

    [Fact]
    public async Task A_send_past_the_key_s_cap_is_rejected_key_cap_and_draws_nothing()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, list) = await AccountWith(h, 10_000);
        var key = new SendingKey(7, 1_000);

        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 600, key)).Status);
        var refused = await Send(h, account, list, 500, key);
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.KeyCap), (refused.Status, refused.Reason));
        Assert.Equal(9_400, (await h.WalletAsync(account)).Total);
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 400, key)).Status); // exactly the cap
        Assert.Equal(ConsumptionReasons.KeyCap, (await Send(h, account, list, 1, key)).Reason);

        // Another key, and the portal, are not this key.
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 500, new SendingKey(8, 1_000))).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(account, list, 500)).Status);
        Assert.Equal(8_000, (await h.WalletAsync(account)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_cap_counts_credits_not_messages()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, list) = await AccountWith(h, 1_000, Channel.Sms);
        var key = new SendingKey(7, 100);

        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 40, key, Channel.Sms, "US")).Status); // 80 credits
        Assert.Equal(ConsumptionReasons.KeyCap, (await Send(h, account, list, 11, key, Channel.Sms, "US")).Reason);  // 22 more: 102
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 20, key, Channel.Sms, "IT")).Status); // 100
    }

    [Fact]
    public async Task A_send_past_the_cap_is_rejected_not_queued_and_a_queued_send_counts()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, list) = await AccountWith(h, 100, hold: true);
        var key = new SendingKey(7, 300);

        Assert.Equal(ConsumptionStatus.Queued, (await Send(h, account, list, 200, key)).Status); // out of credits: held, and counted
        var refused = await Send(h, account, list, 150, key);
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.KeyCap), (refused.Status, refused.Reason));
        Assert.Equal(ConsumptionStatus.Queued, (await Send(h, account, list, 100, key)).Status);
    }

    [Fact]
    public async Task The_month_is_the_account_s_and_a_new_month_starts_at_local_midnight()
    {
        var lateOnThe30th = new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero); // 23:30 in Rome
        await using var h = LedgerHarness.Start(lateOnThe30th);
        var (account, list) = await AccountWith(h, 10_000);
        var key = new SendingKey(7, 1_000);
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 1_000, key)).Status);

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 22, 59, 59, TimeSpan.Zero));
        Assert.Equal(ConsumptionReasons.KeyCap, (await Send(h, account, list, 1, key)).Reason);

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero)); // 00:00 on 1 Dec in Rome, still 30 Nov in UTC
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 1_000, key)).Status);
        Assert.Equal(ConsumptionReasons.KeyCap, (await Send(h, account, list, 1, key)).Reason);
    }

    [Fact]
    public async Task The_key_s_month_survives_a_restart()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, list) = await AccountWith(h, 10_000);
        var key = new SendingKey(7, 1_000);
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 900, key)).Status);

        await h.RestartAsync();
        Assert.Equal(ConsumptionReasons.KeyCap, (await Send(h, account, list, 200, key)).Reason);
        Assert.Equal(ConsumptionStatus.Accepted, (await Send(h, account, list, 100, key)).Status);
    }

    [Fact]
    public async Task The_dry_run_agrees_below_at_and_past_the_cap()
    {
        await using var h = LedgerHarness.Start(Start);
        var (account, list) = await AccountWith(h, 10_000);
        var key = new SendingKey(7, 1_000);

        foreach (var (quantity, expected, reason) in new (long, ConsumptionStatus, string?)[]
                 {
                     (700, ConsumptionStatus.Accepted, null),
                     (301, ConsumptionStatus.Rejected, ConsumptionReasons.KeyCap),
                     (300, ConsumptionStatus.Accepted, null),
                     (1, ConsumptionStatus.Rejected, ConsumptionReasons.KeyCap),
                 })
        {
            var preview = await h.Ledger.PreviewConsumptionAsync(account, new SendCheck(Channel.Email, list, quantity), key);
            var sent = await Send(h, account, list, quantity, key);
            Assert.Equal((expected, reason), (preview.Status, preview.Reason));
            Assert.Equal((preview.Status, preview.Reason), (sent.Status, sent.Reason));
        }
        // Without the key (the portal's Check a send) the cap is not this send's.
        Assert.Equal(ConsumptionStatus.Accepted, (await h.Ledger.PreviewConsumptionAsync(account, new SendCheck(Channel.Email, list, 1))).Status);
    }
}
