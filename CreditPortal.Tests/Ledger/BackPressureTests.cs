using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Issue 13.2: the writer's limits. A full writer queue refuses at once with "busy" and changes nothing; one account
/// cannot create lists or queue sends without bound; a long queue is released in chunks, one writer command each,
/// in order. Every test ends with the ledger check at 0 differences.
/// </summary>
public sealed class BackPressureTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private static LedgerOptions Limits(LedgerHarness h) => h.Services.GetRequiredService<LedgerOptions>();

    [Fact]
    public async Task A_full_writer_queue_refuses_with_busy_and_every_send_it_took_is_recorded_once()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        Limits(h).QueueLimit = 3;

        // 400 sends at once against a queue of 3: most are refused at the door, the rest go through.
        var sends = Enumerable.Range(0, 400).Select(i => Task.Run(() => h.SendAsync(id, list, 1, key: $"burst-{i}"))).ToList();
        var outcomes = new List<(int Index, ConsumptionResult? Result, LedgerBusyException? Busy)>();
        for (var i = 0; i < sends.Count; i++)
        {
            try { outcomes.Add((i, await sends[i], null)); }
            catch (LedgerBusyException busy) { outcomes.Add((i, null, busy)); }
        }

        var refused = outcomes.Where(o => o.Busy is not null).ToList();
        var taken = outcomes.Where(o => o.Result is not null).ToList();
        Assert.NotEmpty(refused);
        Assert.NotEmpty(taken);
        Assert.All(refused, o => Assert.Equal(LedgerBusyException.Busy, o.Busy!.Code));
        Assert.All(taken, o => Assert.Equal(ConsumptionStatus.Accepted, o.Result!.Status));
        Assert.Equal(0, h.Writer.QueueDepth);
        await using (var db = h.Db())
        {
            var keys = await db.Consumptions.Where(c => c.AccountId == id).Select(c => c.IdempotencyKey).ToListAsync();
            Assert.Equal(taken.Select(o => $"burst-{o.Index}").Order(), keys.Order());
        }
        Assert.Equal(1_000_000 - taken.Count, (await h.WalletAsync(id)).Total);

        // A refused send is safe to retry with its key: it goes through once.
        Limits(h).QueueLimit = 1_000;
        var retry = await h.SendAsync(id, list, 1, key: $"burst-{refused[0].Index}");
        Assert.Equal((ConsumptionStatus.Accepted, false), (retry.Status, retry.Replayed));
        Assert.True((await h.SendAsync(id, list, 1, key: $"burst-{refused[0].Index}")).Replayed);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task An_account_at_its_list_limit_gets_list_limit_at_the_name_field_and_no_list()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var existing = (await h.Queries.GetListsAsync(id)).Count;
        Limits(h).MaxListsPerAccount = existing + 2;
        await h.Ledger.CreateListAsync(id, "One", LedgerHarness.Owner);
        await h.Ledger.CreateListAsync(id, "Two", LedgerHarness.Owner);

        var refused = await Assert.ThrowsAsync<LedgerRuleException>(() => h.Ledger.CreateListAsync(id, "Three", LedgerHarness.Owner));

        Assert.Equal(("list_limit", "name"), (refused.Code, refused.Field));
        Assert.Contains($"{existing + 2} lists", refused.Message);
        Assert.Equal(existing + 2, (await h.Queries.GetListsAsync(id)).Count);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_full_send_queue_rejects_the_next_send_with_queue_full_and_the_dry_run_says_so_first()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        Limits(h).MaxQueuedSendsPerAccount = 2;

        Assert.Equal(ConsumptionStatus.Queued, (await h.SendAsync(id, list, 10)).Status);
        Assert.Equal(ConsumptionStatus.Queued, (await h.SendAsync(id, list, 10)).Status);
        var preview = await h.Ledger.PreviewConsumptionAsync(id, new SendCheck(Channel.Email, list, 10));
        var third = await h.SendAsync(id, list, 10);

        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.QueueFull), (preview.Status, preview.Reason));
        Assert.Equal((ConsumptionStatus.Rejected, ConsumptionReasons.QueueFull), (third.Status, third.Reason));
        Assert.Equal(2, (await h.WalletAsync(id)).Queued);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_long_queue_is_released_in_chunks_in_order_one_command_each()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(HoldWhenOutOfCredits: true), LedgerHarness.Owner);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        Limits(h).ReleaseChunk = 3;
        var queued = new List<long>();
        for (var i = 0; i < 8; i++) queued.Add((await h.SendAsync(id, list, 10 + i)).Id);

        await h.GrantAsync(id, 1_000);

        // The grant's own command released the first chunk only.
        Assert.Equal(queued.Take(3), await AcceptedAsync(h, id));
        Assert.Equal(5, (await h.WalletAsync(id)).Queued);

        // The rest is due now: each scheduler round is one more chunk, in the queue's order.
        await h.Scheduler.RunDueAsync();
        await h.Scheduler.RunDueAsync();
        await h.Scheduler.RunDueAsync();

        Assert.Equal(queued, await AcceptedAsync(h, id));
        var wallet = await h.WalletAsync(id);
        Assert.Equal((0, 1_000 - Enumerable.Range(10, 8).Sum()), (wallet.Queued, (int)wallet.Total));
        await h.AssertLedgerConsistentAsync();
    }

    private static async Task<List<long>> AcceptedAsync(LedgerHarness h, long accountId)
    {
        await using var db = h.Db();
        return await db.Consumptions.Where(c => c.AccountId == accountId && c.Status == ConsumptionStatus.Accepted)
            .OrderBy(c => c.DecidedAt).ThenBy(c => c.Id).Select(c => c.Id).ToListAsync();
    }
}
