using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// The WAL stays bounded when long readers overlap (the soak benchmark's finding): past the limit the writer pauses
/// new exports and restarts the WAL as soon as no reader holds an older snapshot; then exports run again.
/// SQLite's WAL: SQLite only (PostgreSQL recycles its own).
/// </summary>
[Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
public sealed class WalCheckpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_long_reader_keeps_new_exports_paused_until_the_wal_can_restart_and_then_the_wal_is_empty()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 1_000_000);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var wal = h.Services.GetRequiredService<WalCheckpoint>();
        var exports = new ExportLimits(Options.Create(new ExportOptions()), wal);
        var walFile = h.Database.FilePath + "-wal";

        // An export-like reader: one read transaction, held open on a snapshot older than the next write.
        await using (var reader = new SqliteConnection(h.Database.ConnectionString))
        {
            await reader.OpenAsync();
            await using var transaction = reader.BeginTransaction(deferred: true);
            await using (var read = reader.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT COUNT(*) FROM \"Consumptions\"";
                await read.ExecuteScalarAsync();
            }
            await h.SendAsync(id, list, 1, key: "while-reading");

            Assert.False(await h.Writer.RestartWalAsync());
            Assert.True(wal.ExportsPaused);
            Assert.Null(exports.TryStart(id));
            Assert.True(new FileInfo(walFile).Length > 0);
            await transaction.CommitAsync();
        }

        Assert.True(await h.Writer.RestartWalAsync());

        Assert.False(wal.ExportsPaused);
        using (var lease = exports.TryStart(id)) Assert.NotNull(lease);
        Assert.Equal(0, new FileInfo(walFile).Length);             // TRUNCATE: the file is empty again
        await h.SendAsync(id, list, 1, key: "after-reading");
        await h.AssertLedgerConsistentAsync();
    }
}
