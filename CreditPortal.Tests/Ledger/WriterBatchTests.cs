using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// Group commit with deferred rows: in one batch, a send's rows wait in memory and are written many per
/// statement before COMMIT. A failing command must still take back exactly its own changes and nothing of the
/// others', rows that cannot be written must fail only the command they belong to, and every command must see
/// what the earlier ones did.
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
    public async Task A_command_whose_rows_break_a_constraint_fails_alone_when_the_batch_runs_again_command_by_command()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var (gate, held) = await HoldWriterAsync(h);
        var first = h.SendAsync(id, list, 10, key: "first");
        // A bug that believes a lot holds more than it does: the database's CHECK refuses the lot's remaining below
        // zero when the batch's rows are written together, after this command has returned. The batch is rolled
        // back and run again, each command writing its own rows in its own savepoint: only this one fails.
        var runs = 0;
        var overdraw = h.Writer.RunAsync(s =>
        {
            runs++;
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

        Assert.Equal(ConsumptionStatus.Accepted, (await first).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await third).Status);
        Assert.Contains("CK_Lots_Remaining", (await Assert.ThrowsAnyAsync<Exception>(() => overdraw)).Message);
        Assert.Equal(2, runs);
        Assert.Equal(970, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();

        // Nothing of the bug stayed in the writer's memory: the next sends draw from what is really there.
        Assert.True((await h.SendAsync(id, list, 10, key: "first")).Replayed);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, list, 970)).Status);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
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

    [Fact]
    public async Task A_failing_command_that_made_direct_writes_keeps_the_earlier_commands_rows()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var other = await h.CreateAccountAsync("Other");
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.RestartAsync(); // nothing cached: opening "other" below reads the database

        var (gate, held) = await HoldWriterAsync(h);
        var first = h.SendAsync(id, list, 10, key: "first");
        // A direct write (its savepoint), then a read of the tables whose rows wait (the other account), then a failure.
        var failing = h.Writer.RunAsync<int>(s =>
        {
            s.Audit.Record(s.Open(id), Actor.System, "test", null, null, null);
            s.Open(other);
            throw new InvalidOperationException("boom");
        });
        gate.Set();
        await held;
        gate.Dispose();

        Assert.Equal(ConsumptionStatus.Accepted, (await first).Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await using (var db = h.Db())
        {
            Assert.True(await db.Consumptions.AnyAsync(c => c.IdempotencyKey == "first"), "an answered consumption was lost");
            Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "test"));
        }
        Assert.Equal(990, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_send_whose_rows_cannot_be_written_fails_alone_and_the_rest_of_its_batch_commits()
    {
        await using var h = LedgerHarness.Start(Start);
        var healthy = await h.CreateAccountAsync("Healthy");
        var poisoned = await h.CreateAccountAsync("Poisoned");
        await h.GrantAsync(healthy, 1_000);
        await h.GrantAsync(poisoned, 1_000);
        var list = await h.Ledger.CreateListAsync(healthy, "News", LedgerHarness.Owner);
        var poisonedList = await h.Ledger.CreateListAsync(poisoned, "News", LedgerHarness.Owner);
        // As a constraint the data breaks would: the database refuses this account's ledger entries.
        await using (var db = h.Db())
        {
            if (h.Database.Provider == CreditPortal.Data.DatabaseProvider.Sqlite)
                await db.Database.ExecuteSqlRawAsync(
                    $"CREATE TRIGGER poison BEFORE INSERT ON LedgerEntries WHEN NEW.AccountId = {poisoned} BEGIN SELECT RAISE(ABORT, 'poisoned'); END;");
            else
                await db.Database.ExecuteSqlRawAsync($$"""
                    CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $body$
                    BEGIN IF NEW."AccountId" = {{poisoned}} THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $body$;
                    CREATE TRIGGER poison BEFORE INSERT ON "LedgerEntries" FOR EACH ROW EXECUTE FUNCTION poison();
                    """);
        }

        var (gate, held) = await HoldWriterAsync(h);
        var before = h.SendAsync(healthy, list, 10, key: "before");
        var bad = h.SendAsync(poisoned, poisonedList, 10, key: "bad");
        var after = h.SendAsync(healthy, list, 20, key: "after");
        gate.Set();
        await held;
        gate.Dispose();

        Assert.Equal(ConsumptionStatus.Accepted, (await before).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await after).Status);
        Assert.Contains("poisoned", (await Assert.ThrowsAnyAsync<Exception>(() => bad)).Message);
        Assert.Equal(970, (await h.WalletAsync(healthy)).Total);
        Assert.Equal(1_000, (await h.WalletAsync(poisoned)).Total);
        await using (var db = h.Db())
        {
            await db.Database.ExecuteSqlRawAsync(h.Database.Provider == CreditPortal.Data.DatabaseProvider.Sqlite
                ? "DROP TRIGGER poison;"
                : "DROP TRIGGER poison ON \"LedgerEntries\";");
            Assert.False(await db.Consumptions.AnyAsync(c => c.AccountId == poisoned));
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
