using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>Many callers at once: never overspend, never negative, never a lost or doubled entry.</summary>
public sealed class ConcurrencyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SixteenThreadsConsumingOneWallet_EndExactlyAtTheExpectedBalance()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 10_000);
        await h.GrantAsync(id, 5, Start.AddDays(1));
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        // 16 threads × 100 sends of 7 credits = 11,200 asked of 10,005.
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            var mine = new List<ConsumptionResult>();
            for (var i = 0; i < 100; i++)
                mine.Add(await h.SendAsync(id, list, 7, key: $"t{t}-{i}"));
            return mine;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(1_600, all.Select(r => r.Id).Distinct().Count());
        var accepted = all.Count(r => r.Status == ConsumptionStatus.Accepted);
        Assert.Equal(10_005 / 7, accepted);
        Assert.All(all.Where(r => r.Status == ConsumptionStatus.Rejected), r => Assert.Equal(ConsumptionReasons.InsufficientCredits, r.Reason));
        var wallet = await h.WalletAsync(id);
        Assert.Equal(10_005 - accepted * 7, wallet.Total);
        Assert.True(wallet.Total >= 0);

        await using var db = h.Db();
        Assert.Equal(-accepted * 7L, await db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == LedgerEntryKind.Consumption).SumAsync(e => e.Quantity));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task SixteenThreadsRetryingTheSameKey_RecordOneConsumption()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => h.SendAsync(id, list, 100, key: "same-key"))));

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal(1, results.Count(r => !r.Replayed));
        Assert.All(results, r => Assert.Equal(ConsumptionStatus.Accepted, r.Status));
        Assert.Equal(900, (await h.WalletAsync(id)).Total);
        await Assert.ThrowsAsync<IdempotencyConflictException>(() => h.SendAsync(id, list, 101, key: "same-key"));
        await using var db = h.Db();
        Assert.Equal(1, await db.Consumptions.CountAsync(c => c.AccountId == id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task KeysAreScopedPerAccount()
    {
        await using var h = LedgerHarness.Start(Start);
        var a = await h.CreateAccountAsync("A");
        var b = await h.CreateAccountAsync("B");
        await h.GrantAsync(a, 100);
        await h.GrantAsync(b, 100);
        var listA = await h.Ledger.CreateListAsync(a, "News", LedgerHarness.Owner);
        var listB = await h.Ledger.CreateListAsync(b, "News", LedgerHarness.Owner);

        var first = await h.SendAsync(a, listA, 10, key: "k");
        var second = await h.SendAsync(b, listB, 20, key: "k");

        Assert.NotEqual(first.Id, second.Id);
        Assert.False(second.Replayed);
        Assert.Equal(90, (await h.WalletAsync(a)).Total);
        Assert.Equal(80, (await h.WalletAsync(b)).Total);
    }

    [Fact]
    public async Task SendsRacingAllocationChangesAndExpiries_KeepEveryInvariant()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Ticketing");
        for (var i = 1; i <= 20; i++) await h.GrantAsync(id, 500, Start.AddMinutes(i * 10));
        await h.GrantAsync(id, 5_000);
        var lists = new List<long>();
        for (var i = 0; i < 4; i++) lists.Add(await h.Ledger.CreateListAsync(id, $"L{i}", LedgerHarness.Owner));

        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++) await h.SendAsync(id, lists[(t + i) % 4], 3 + i % 5, key: $"s{t}-{i}");
        })).ToList();
        var allocator = Task.Run(async () =>
        {
            var random = new Random(7);
            for (var i = 0; i < 120; i++)
            {
                var list = lists[random.Next(4)];
                try
                {
                    if (random.Next(3) == 0) await h.Ledger.SetAllocationAsync(id, list, Channel.Email, AllocationMode.Shared, null, LedgerHarness.Owner);
                    else await h.Ledger.SetAllocationAsync(id, list, Channel.Email, AllocationMode.Assigned, random.Next(0, 800), LedgerHarness.Owner);
                }
                catch (LedgerRuleException e) when (e.Code == "insufficient_unassigned") { }
            }
        });
        var clock = Task.Run(async () =>
        {
            for (var i = 1; i <= 20; i++) await h.AdvanceToAsync(Start.AddMinutes(i * 10));
        });
        await Task.WhenAll(senders.Append(allocator).Append(clock));

        var wallet = await h.WalletAsync(id);
        Assert.True(wallet.Unassigned >= 0);
        Assert.Equal(wallet.Total, wallet.Unassigned + wallet.Lists.Sum(l => l.Assigned));
        await h.AssertLedgerConsistentAsync();
    }
}
