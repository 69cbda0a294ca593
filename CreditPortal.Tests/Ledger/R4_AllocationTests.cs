using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Ledger;

public sealed class R4_AllocationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task R4_AssignedListsAreCarvedOutOfTheWallet_InvariantHolds()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var a = await h.Ledger.CreateListAsync(id, "A", LedgerHarness.Owner);
        var b = await h.Ledger.CreateListAsync(id, "B", LedgerHarness.Owner);

        await h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 300, LedgerHarness.Owner);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(1_000, wallet.Total);
        Assert.Equal(700, wallet.Unassigned);
        Assert.Equal(300, wallet.Lists.Single(l => l.Id == a).Assigned);
        Assert.Equal(wallet.Total, wallet.Unassigned + wallet.Lists.Sum(l => l.Assigned));

        // A sends from its own assignment; B (Shared) from the pool.
        await h.SendAsync(id, a, 100);
        await h.SendAsync(id, b, 50);
        wallet = await h.WalletAsync(id);
        Assert.Equal(850, wallet.Total);
        Assert.Equal(200, wallet.Lists.Single(l => l.Id == a).Assigned);
        Assert.Equal(650, wallet.Unassigned);
        Assert.Equal(wallet.Total, wallet.Unassigned + wallet.Lists.Sum(l => l.Assigned));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R4_AssigningMoreThanIsUnassigned_IsRefusedWithTheAmountAvailable()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_200);
        var a = await h.Ledger.CreateListAsync(id, "A", LedgerHarness.Owner);
        var b = await h.Ledger.CreateListAsync(id, "B", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 1_000, LedgerHarness.Owner);

        var refused = await Assert.ThrowsAsync<LedgerRuleException>(() =>
            h.Ledger.SetAllocationAsync(id, b, Channel.Email, AllocationMode.Assigned, 201, LedgerHarness.Owner));
        Assert.Equal("insufficient_unassigned", refused.Code);
        Assert.Equal("assigned", refused.Field);
        Assert.Contains("Only 200 Email credits are unassigned", refused.Message);

        // Exactly what is unassigned is fine; raising A's own assignment counts what A already holds.
        await h.Ledger.SetAllocationAsync(id, b, Channel.Email, AllocationMode.Assigned, 200, LedgerHarness.Owner);
        await Assert.ThrowsAsync<LedgerRuleException>(() =>
            h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 1_001, LedgerHarness.Owner));
        var wallet = await h.WalletAsync(id);
        Assert.Equal(0, wallet.Unassigned);
        Assert.Equal(1_000, wallet.Lists.Single(l => l.Id == a).Assigned);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R4_BackToShared_ReturnsTheAssignmentToThePool()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 500);
        var a = await h.Ledger.CreateListAsync(id, "A", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 400, LedgerHarness.Owner);
        await h.SendAsync(id, a, 150);

        await h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Shared, null, LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(350, wallet.Total);
        Assert.Equal(350, wallet.Unassigned);
        var list = wallet.Lists.Single();
        Assert.Equal(AllocationMode.Shared, list.Mode);
        Assert.Equal(0, list.Assigned);
        await using var db = h.Db();
        Assert.Equal(2, db.LedgerEntries.Count(e => e.AccountId == id && e.Kind == LedgerEntryKind.AllocationChange));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R4_AnAssignedListCannotSpendThePool_ASharedListCannotSpendAssignments()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000);
        var assigned = await h.Ledger.CreateListAsync(id, "Assigned", LedgerHarness.Owner);
        var shared = await h.Ledger.CreateListAsync(id, "Shared", LedgerHarness.Owner);
        await h.Ledger.SetAllocationAsync(id, assigned, Channel.Email, AllocationMode.Assigned, 100, LedgerHarness.Owner);

        Assert.Equal(ConsumptionReasons.InsufficientCredits, (await h.SendAsync(id, assigned, 101)).Reason);
        Assert.Equal(ConsumptionReasons.InsufficientCredits, (await h.SendAsync(id, shared, 901)).Reason);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, shared, 900)).Status);
        Assert.Equal(ConsumptionStatus.Accepted, (await h.SendAsync(id, assigned, 100)).Status);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task R4_SupportMustGiveAReason_OwnersNeedNot()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100);
        var a = await h.Ledger.CreateListAsync(id, "A", LedgerHarness.Owner);
        var error = await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 10, LedgerHarness.SupportAgent, "  "));
        Assert.Equal("reason", error.Field);
        await h.Ledger.SetAllocationAsync(id, a, Channel.Email, AllocationMode.Assigned, 10, LedgerHarness.SupportAgent, "customer asked by phone");
        var audit = (await h.Queries.GetAuditAsync(id)).Items[0]; // newest first
        Assert.Equal("list.allocation.Email", audit.Action);
        Assert.Equal($"#{a} Shared", audit.Before);
        Assert.Equal($"#{a} Assigned 10", audit.After);
        Assert.Equal("customer asked by phone", audit.Reason);
        Assert.Equal("support:agent@example.test", audit.Actor);
    }
}
