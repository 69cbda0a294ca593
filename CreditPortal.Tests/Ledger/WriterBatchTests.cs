using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Group commit with deferred rows: in one batch, a send's rows wait in memory and are written many per
/// statement before COMMIT. A failing command must still take back exactly its own changes, a failure while
/// writing the rows must take back the whole batch, and every command must see what the earlier ones did.
/// Each test holds the writer on a gate so that the commands queued behind it form one batch.
/// </summary>
public sealed class WriterBatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_command_failing_after_deferred_writes_leaves_the_rest_of_its_batch_whole()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var (gate, held) = await HoldWriterAsync(h);
        var first = h.SendAsync(id, list, 10);
        // Draws 500 credits through the deferred path (lot, entries, usage, a consumption row), then fails.
        var failing = h.Writer.RunAsync<int>(s =>
        {
            var account = s.Open(id);
            var wallet = account.Email;
            var consumption = s.Records.AddConsumption(new Consumption
            {
                AccountId = id, WalletId = wallet.Id, ListId = list, Channel = Channel.Email, Quantity = 500, Credits = 500,
                Status = ConsumptionStatus.Accepted, InitialStatus = ConsumptionStatus.Accepted, IdempotencyKey = "doomed", RequestHash = "h",
                RequestedAt = s.Now, DecidedAt = s.Now, Actor = "test",
            });
            s.Sends.Accept(account, wallet, wallet.List(list), consumption, 500, 500, s.Now, Actor.System);
            throw new InvalidOperationException("boom");
        });
        var third = h.SendAsync(id, list, 20, key: "third");
        gate.Set();
        await held;
        gate.Dispose();

        var a = await first;
        var c = await third;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(ConsumptionStatus.Accepted, a.Status);
        Assert.Equal(ConsumptionStatus.Accepted, c.Status);
        Assert.Equal(a.Id + 1, c.Id); // the rolled-back consumption's id is given again, no gap
        Assert.Equal(970, (await h.WalletAsync(id)).Total);
        await using (var db = h.Db())
        {
            Assert.False(await db.Consumptions.AnyAsync(x => x.IdempotencyKey == "doomed"));
            Assert.Equal(30, await db.ListDailyUsage.Where(u => u.AccountId == id).SumAsync(u => u.Messages));
        }
        await h.AssertLedgerConsistentAsync();

        // The writer's memory was taken back too: the next send draws from what is really there.
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 970)).Status);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_command_reads_what_earlier_commands_of_its_batch_wrote()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var (gate, held) = await HoldWriterAsync(h);
        var sends = Enumerable.Range(0, 5).Select(i => h.SendAsync(id, list, 100, key: $"send-{i}")).ToList();
        // The account is forgotten by a failing command and read again from the database within the same batch.
        var failing = h.Writer.RunAsync<int>(s => { s.Open(id); throw new InvalidOperationException("forget the account"); });
        var replay = h.SendAsync(id, list, 100, key: "send-0");
        var after = h.SendAsync(id, list, 600, key: "too-much");
        gate.Set();
        await held;
        gate.Dispose();

        var results = await Task.WhenAll(sends);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.All(results, r => Assert.Equal(ConsumptionStatus.Accepted, r.Status));
        var replayed = await replay;
        Assert.True(replayed.Replayed);
        Assert.Equal(results[0].Id, replayed.Id);
        var refused = await after;
        Assert.Equal(ConsumptionStatus.Rejected, refused.Status);
        Assert.Equal(ConsumptionReasons.InsufficientCredits, refused.Reason);
        Assert.Equal(500, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_failure_writing_the_deferred_rows_rolls_the_whole_batch_back()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var before = await h.WalletAsync(id);

        var (gate, held) = await HoldWriterAsync(h);
        var first = h.SendAsync(id, list, 10, key: "first");
        // A bug that believes a lot holds more than it does: the database's CHECK refuses the lot's remaining
        // below zero when the batch's rows are written, after this command has returned.
        var overdraw = h.Writer.RunAsync(s =>
        {
            var account = s.Open(id);
            var wallet = account.Email;
            var lot = wallet.Lots.Single(l => l.Kind == LotKind.Adjustment);
            lot.Remaining += 1_000_000;
            wallet.Total += 1_000_000;
            s.Postings.DrawForConsumption(account, wallet, wallet.List(list), 0, lot.Remaining, s.Now, Actor.System);
        });
        var third = h.SendAsync(id, list, 20, key: "third");
        gate.Set();
        await held;
        gate.Dispose();

        await Assert.ThrowsAnyAsync<Exception>(() => first);
        await Assert.ThrowsAnyAsync<Exception>(() => overdraw);
        await Assert.ThrowsAnyAsync<Exception>(() => third);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(before.Total, wallet.Total);
        await using (var db = h.Db())
        {
            Assert.False(await db.Consumptions.AnyAsync(c => c.AccountId == id));
            Assert.False(await db.LedgerEntries.AnyAsync(e => e.AccountId == id && e.Kind == LedgerEntryKind.Consumption));
        }
        await h.AssertLedgerConsistentAsync();

        // Nothing of the failed batch stayed in the writer's memory either: the same keys are new sends now.
        var retry = await h.SendAsync(id, list, 10, key: "first");
        Assert.False(retry.Replayed);
        Assert.Equal(ConsumptionStatus.Accepted, retry.Status);
        Assert.Equal(before.Total - 10, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Many_sends_in_one_batch_are_written_many_rows_per_statement_and_add_up()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 32);                                  // drawn first: no expiry (R1); the 17th send spans both
        await h.GrantAsync(id, 100_000, Start.AddDays(40));
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, list, Channel.Email, AllocationMode.Assigned, 50_000, LedgerHarness.Owner);

        var (gate, held) = await HoldWriterAsync(h);
        // More than one INSERT's worth of rows (64), across two lots, from an assignment.
        var sends = Enumerable.Range(0, 150).Select(i => h.SendAsync(id, list, 1 + i % 3, key: $"k{i}")).ToList();
        gate.Set();
        await held;
        gate.Dispose();
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.Equal(ConsumptionStatus.Accepted, r.Status));
        Assert.Equal(150, results.Select(r => r.Id).Distinct().Count());
        var spent = Enumerable.Range(0, 150).Sum(i => 1 + i % 3);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(100_032 - spent, wallet.Total);
        Assert.Equal(50_000 - spent, wallet.Lists.Single().Assigned);
        await using (var db = h.Db())
        {
            Assert.Equal(151, await db.LedgerEntries.CountAsync(e => e.AccountId == id && e.Kind == LedgerEntryKind.Consumption)); // one send spans both lots
            Assert.Equal(spent, await db.ListDailyUsage.Where(u => u.AccountId == id).SumAsync(u => u.Messages));
        }
        await h.AssertLedgerConsistentAsync();
    }

    /// <summary>Blocks the writer inside a batch of its own; what is queued until the gate opens forms the next batch.</summary>
    private static async Task<(ManualResetEventSlim Gate, Task Held)> HoldWriterAsync(LedgerHarness h)
    {
        var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        var held = h.Writer.RunAsync(_ =>
        {
            entered.Release();
            gate.Wait();
        });
        await entered.WaitAsync();
        return (gate, held);
    }
}
