using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditPortal.Tests.Foundation;

/// <summary>
/// A deployed SQLite database that already holds money, taken across the migrations that rebuild a table. SQLite cannot
/// add a check constraint in place, so the Holds migration copies <c>Lots</c> into a new table, drops the old one and
/// renames the copy, with foreign keys off around it (EF logs warning 20410 for that PRAGMA). Were foreign keys on
/// when <c>Lots</c> is dropped, the drop would delete through the references into it, so the ledger would lose entries.
/// Every lot, entry and consumption must come through both ways, and the ledger check must still find 0 differences.
/// </summary>
[Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
public sealed class MigrationUpgradeTests
{
    /// <summary>The last migration before holds: what a database written before issue #17's holds stands at.</summary>
    private const string BeforeHolds = "20261202214643_Webhooks";

    [Fact]
    public async Task A_populated_database_goes_down_before_holds_and_up_again_with_every_lot_entry_and_consumption_kept()
    {
        await using var h = LedgerHarness.Start(ReportScenario.Start, DatabaseProvider.Sqlite);
        var s = await ReportScenario.BuildAsync(h);
        await h.AssertLedgerConsistentAsync();
        var before = await SnapshotAsync(h);
        Assert.NotEmpty(before.Lots);
        Assert.True(before.Entries > 10 && before.Consumptions > 5, "the scenario wrote entries and consumptions");

        // Services off first: the writer's connection holds prepared statements on the tables being rebuilt.
        await h.RestartAsync();
        await using (var db = h.Db())
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(BeforeHolds);
            Assert.DoesNotContain(await db.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_Holds", StringComparison.Ordinal));
            await migrator.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Empty(await ForeignKeyViolationsAsync(db));
        }

        var after = await SnapshotAsync(h);
        Assert.Equal(before.Lots, after.Lots);
        Assert.Equal((before.Entries, before.EntryCredits, before.Consumptions), (after.Entries, after.EntryCredits, after.Consumptions));
        Assert.Equal(before.Wallets, after.Wallets);
        await h.AssertLedgerConsistentAsync();

        // And the upgraded database takes money movements as before: a send draws from the same lots.
        var wallet = await h.WalletAsync(s.AccountId);
        var sent = await h.SendAsync(s.AccountId, s.Newsletter, 10);
        Assert.Equal(ConsumptionStatus.Accepted, sent.Status);
        Assert.Equal(wallet.Total - 10, (await h.WalletAsync(s.AccountId)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    private sealed record Snapshot(List<string> Lots, int Entries, long EntryCredits, int Consumptions, List<string> Wallets);

    private static async Task<Snapshot> SnapshotAsync(LedgerHarness h)
    {
        await using var db = h.Db();
        var lots = await db.Lots.AsNoTracking().OrderBy(l => l.Id)
            .Select(l => $"{l.Id} {l.WalletId} {l.Kind} {l.Quantity} {l.Remaining} {l.ExpiresAt}").ToListAsync();
        var entries = await db.LedgerEntries.CountAsync();
        var credits = await db.LedgerEntries.SumAsync(e => e.Quantity);
        var consumptions = await db.Consumptions.CountAsync();
        var wallets = await db.Wallets.AsNoTracking().OrderBy(w => w.Id).Select(w => $"{w.Id} {w.AccountId} {w.Channel} {w.Plan}").ToListAsync();
        return new Snapshot(lots, entries, credits, consumptions, wallets);
    }

    private static async Task<List<string>> ForeignKeyViolationsAsync(CreditPortalDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_key_check";
        var violations = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) violations.Add($"{reader.GetString(0)} row {reader.GetValue(1)} → {reader.GetString(2)}");
        return violations;
    }
}
