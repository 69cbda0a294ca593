using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Benchmarks;

/// <summary>
/// The writes one accepted consumption needs, done the obvious way: on the app's real schema (its migrations),
/// one SQLite connection in WAL with synchronous=NORMAL like the app's writer, one transaction per request:
/// idempotency lookup, insert the consumption, draw from the lot, insert the ledger entry, upsert the daily usage.
/// </summary>
public sealed class BareSqliteStore
{
    private const long AccountId = 1, WalletId = 1, ListId = 1, LotId = 1;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteCommand _find, _insertConsumption, _drawLot, _insertEntry, _upsertUsage;

    private BareSqliteStore(SqliteConnection connection)
    {
        _connection = connection;
        _find = Command("SELECT Id, RequestHash FROM Consumptions WHERE AccountId = $p0 AND IdempotencyKey = $p1", 2);
        _insertConsumption = Command("""
            INSERT INTO Consumptions (AccountId, WalletId, ListId, Channel, Quantity, Country, CreditsPerMessage, Credits, Status,
              InitialStatus, Reason, InitialReason, Reference, IdempotencyKey, RequestHash, RequestedAt, DecidedAt, Unmetered, Actor)
            VALUES ($p0, $p1, $p2, 'Email', $p3, NULL, 1, $p3, 'Accepted', 'Accepted', NULL, NULL, $p4, $p5, $p6, $p7, $p7, 0, 'api-key:bench (#1)')
            RETURNING Id
            """, 8);
        _drawLot = Command("UPDATE Lots SET Remaining = Remaining - $p1 WHERE Id = $p0", 2);
        _insertEntry = Command("""
            INSERT INTO LedgerEntries (AccountId, WalletId, Channel, At, Kind, Quantity, AssignedDelta, LotId, ListId, ConsumptionId,
              OrderId, Actor, Reason, Detail)
            VALUES ($p0, $p1, 'Email', $p2, 'Consumption', $p3, 0, $p4, $p5, $p6, NULL, 'api-key:bench (#1)', NULL, NULL)
            """, 7);
        _upsertUsage = Command("""
            INSERT INTO ListDailyUsage (AccountId, ListId, Channel, LocalDate, Messages, Credits, Accepted, Rejected, RejectedMessages)
            VALUES ($p0, $p1, 'Email', $p2, $p3, $p3, 1, 0, 0)
            ON CONFLICT (AccountId, ListId, Channel, LocalDate) DO UPDATE SET
              Messages = Messages + excluded.Messages, Credits = Credits + excluded.Credits, Accepted = Accepted + excluded.Accepted
            """, 4);
    }

    public static async Task<BareSqliteStore> OpenAsync(string file)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        var options = new DbContextOptionsBuilder<CreditPortalDbContext>().UseSqlite(connectionString).Options;
        await using (var db = new CreditPortalDbContext(options)) await db.Database.MigrateAsync();

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;");
        var now = TimeProvider.System.GetUtcNow().UtcTicks;
        await Exec(connection, $"""
            INSERT OR IGNORE INTO Accounts (Id, Name, TimeZoneId, BillingContacts, ProductTypes, HoldWhenOutOfCredits, CreatedAt, NextTopUpAt, NextDueAt)
              VALUES ({AccountId}, 'Bench', 'Europe/Rome', '[]', '[]', 0, {now}, NULL, NULL);
            INSERT OR IGNORE INTO Wallets (Id, AccountId, Channel, Plan, CycleAnchor, CycleIndex, CycleEndsAt, SubscriberCount, MonthlyCredits,
              MonthlyLocked, AutoRenew, LastPurchasePackId, LastPurchaseCredits, SavedPaymentToken, ArmedAlerts, AutoRenewArmed, QueueReleaseCheckAt)
              VALUES ({WalletId}, {AccountId}, 'Email', 'Packs', NULL, 0, NULL, NULL, NULL, 0, 0, NULL, 0, NULL, 7, 1, NULL);
            INSERT OR IGNORE INTO Lists (Id, AccountId, Name, CreatedAt) VALUES ({ListId}, {AccountId}, 'News', {now});
            INSERT OR IGNORE INTO ListChannels (ListId, Channel, AccountId, Mode, Assigned, CapEnabled, CapPerMonth)
              VALUES ({ListId}, 'Email', {AccountId}, 'Shared', 0, 0, NULL);
            INSERT OR IGNORE INTO Lots (Id, AccountId, WalletId, Channel, Kind, Quantity, Remaining, ExpiresAt, ExpiredAt, CreatedAt, Source, OrderId)
              VALUES ({LotId}, {AccountId}, {WalletId}, 'Email', 'Adjustment', 1000000000000, 1000000000000, NULL, NULL, {now}, 'bench', NULL);
            """);
        return new BareSqliteStore(connection);
    }

    public async ValueTask<long> ConsumeAsync(long accountId, long listId, long quantity, string? reference, string idempotencyKey)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"Email|{listId}|{quantity}||{reference}")), 0, 16);
        var now = TimeProvider.System.GetUtcNow();
        await _gate.WaitAsync();
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var command in new[] { _find, _insertConsumption, _drawLot, _insertEntry, _upsertUsage }) command.Transaction = transaction;

            using (var existing = Bind(_find, AccountId, idempotencyKey).ExecuteReader())
                if (existing.Read()) return existing.GetInt64(0);
            var id = (long)Bind(_insertConsumption, AccountId, WalletId, ListId, quantity, reference, idempotencyKey, hash, now.UtcTicks).ExecuteScalar()!;
            Bind(_drawLot, LotId, quantity).ExecuteNonQuery();
            Bind(_insertEntry, AccountId, WalletId, now.UtcTicks, -quantity, LotId, ListId, id).ExecuteNonQuery();
            Bind(_upsertUsage, AccountId, ListId, now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), quantity).ExecuteNonQuery();
            transaction.Commit();
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static async Task<long> CountAcceptedAsync(string file)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Consumptions WHERE Status = 'Accepted'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private SqliteCommand Command(string sql, int parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++) command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        command.Prepare();
        return command;
    }

    private static SqliteCommand Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
