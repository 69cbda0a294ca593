using System.Data.Common;
using System.Text.RegularExpressions;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Storage;
using CreditPortal.Orders;
using CreditPortal.Reports;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Foundation;

/// <summary>
/// The hand-written SQL (the ledger writer's statements, the ledger check, the reports' reader, the scheduled
/// works' questions) against a freshly migrated database, so that the EF model, its migrations and the SQL
/// cannot drift apart unseen: a column renamed in the model fails here, naming the statement, instead of in
/// whichever request happens to run that statement first. Every test runs on each provider, against its own
/// migration set: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/> (a real throwaway server).
/// </summary>
public abstract class HandWrittenSqlStatementTests : IDisposable
{
    private readonly TempDatabase _database;

    private HandWrittenSqlStatementTests(DatabaseProvider provider) => _database = new TempDatabase("statements", provider).Migrate();

    public sealed class OnSqlite() : HandWrittenSqlStatementTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : HandWrittenSqlStatementTests(DatabaseProvider.PostgreSQL);

    private SqlDialect Dialect => _database.Portal.Dialect;

    [Fact]
    public void The_migrations_hold_everything_the_model_says()
    {
        using var db = _database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(), "The EF model has changes that no migration makes: add a migration.");
    }

    [Fact]
    public void Every_ledger_writer_statement_prepares()
    {
        using var connection = Open();
        // The store prepares every statement when it is made; a statement that does not fit the schema throws,
        // naming itself, the SQL and SQLite's reason.
        using var store = new LedgerStore(connection);

        var tables = store.Statements.Select(s => s.Name.Split('.')[0]).ToHashSet();
        Assert.Superset(
            new HashSet<string> { "Accounts", "Wallets", "Lots", "Lists", "ListChannels", "Consumptions", "LedgerEntries", "ListDailyUsage", "Orders",
                "AutoRenewAttempts", "Alerts", "AuditEntries", "ScheduledEvents", "Transaction" },
            tables);
        Assert.True(store.Statements.Count >= 40, $"only {store.Statements.Count} statements");
    }

    [Fact]
    public void Every_row_the_writer_inserts_or_saves_names_each_column_of_its_table()
    {
        using var connection = Open();
        using var store = new LedgerStore(connection);
        using var db = _database.CreateContext();

        var generated = store.Statements.Where(s => s.Name.EndsWith(".Insert", StringComparison.Ordinal) || s.Name.EndsWith(".Update", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(generated);
        foreach (var statement in generated)
        {
            var table = statement.Name.Split('.')[0];
            var entity = db.Model.GetEntityTypes().Single(e => e.GetTableName() == table);
            var expected = entity.GetProperties()
                .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never))
                .Select(p => p.GetColumnName())
                .Order()
                .ToList();
            var named = Regex.Matches(statement.Sql, "\"(\\w+)\"").Select(m => m.Groups[1].Value).Where(c => c != table && c != "Id").Order().ToList();
            Assert.True(expected.SequenceEqual(named),
                $"{statement.Name} names {string.Join(", ", named)}\nbut the EF model's {table} has {string.Join(", ", expected)}");
        }
    }

    [Fact]
    public async Task Every_ledger_check_prepares_and_finds_nothing_on_an_empty_ledger()
    {
        using (var connection = Open())
        {
            foreach (var (scope, problem, sql) in LedgerCheck.Checks) Prepare(connection, $"LedgerCheck {scope}: {problem}", sql);
        }
        Assert.Empty(await new LedgerCheck(_database.Portal).RunAsync());
    }

    [Fact]
    public async Task Every_scheduled_question_prepares_and_runs()
    {
        using (var connection = Open())
        {
            Prepare(connection, "LedgerDueWork.NextDue", LedgerDueWork.NextDueSql(Dialect));
            Prepare(connection, "LedgerDueWork.DueAccounts", LedgerDueWork.DueAccountsSql(Dialect));
            Prepare(connection, "AutoRenewWork.NextDue", AutoRenewWork.NextDueSql(Dialect));
            Prepare(connection, "AutoRenewWork.DueAttempts", AutoRenewWork.DueAttemptsSql(Dialect));
            Prepare(connection, "PendingOrderRecovery.Stranded", PendingOrderRecovery.StrandedSql(Dialect));
        }
        var database = _database.Portal;
        var waiting = ("@waiting", (object)"[1,2]");
        Assert.Null(await database.ReadInstantAsync(LedgerDueWork.NextDueSql(Dialect), default, waiting));
        Assert.Empty(await database.ReadIdsAsync(LedgerDueWork.DueAccountsSql(Dialect), default, ("@upTo", long.MaxValue), waiting));
        Assert.Null(await database.ReadInstantAsync(AutoRenewWork.NextDueSql(Dialect), default, waiting));
        Assert.Empty(await database.ReadPairsAsync(AutoRenewWork.DueAttemptsSql(Dialect), default, ("@upTo", long.MaxValue), waiting));
        Assert.Empty(await database.ReadPairsAsync(PendingOrderRecovery.StrandedSql(Dialect), default, waiting));
    }

    /// <summary>The reports' statements are fixed texts (filters are parameters): each prepares, and every method runs with every combination of filters.</summary>
    [Fact]
    public async Task Every_report_reader_statement_runs_with_every_filter()
    {
        using (var connection = Open())
        {
            foreach (var (name, sql) in ReportReader.Sql.For(Dialect).All) Prepare(connection, "ReportReader." + name, sql);
        }
        var database = _database.Portal;
        await using var reader = await ReportReader.OpenAsync(database, default);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddYears(1);
        var names = new Dictionary<long, string>();

        Assert.Null(reader.Account(1));
        Assert.Empty(reader.ListNames(1));
        Assert.Empty(reader.UsageDays(1, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));
        Assert.Empty(reader.Ledger(1, start, end, names).ToList());
        Assert.Empty(reader.Ledger(1, start, end, names, skip: 10, take: 10).ToList());
        Assert.Equal(0, reader.CountLedger(1, start, end));

        var queries = 0;
        foreach (long? list in new long?[] { null, 7 })
        foreach (Channel? channel in new Channel?[] { null, Channel.Sms })
        foreach (ConsumptionStatus? status in new ConsumptionStatus?[] { null, ConsumptionStatus.Accepted, ConsumptionStatus.Queued })
        {
            var query = new ConsumptionQuery(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), list, channel, status);
            Assert.Equal((0, 0), reader.CountConsumptions(1, query, start, end));
            Assert.Empty(reader.Consumptions(1, query, start, end, names).ToList());
            Assert.Empty(reader.Consumptions(1, query, start, end, names, skip: 0, take: 10).ToList());
            Assert.Empty(reader.Consumptions(1, query, start, end, names, skip: 20, take: 10).ToList());
            Assert.Empty(reader.Consumptions(1, query, start, end, names, backward: true, skip: 20, take: 10).ToList());
            queries++;
        }
        Assert.Equal(12, queries);
    }

    /// <summary>The one definition of stored values agrees with what EF Core itself writes (it formats dates and lists).</summary>
    [Fact]
    public async Task Stored_values_are_what_EF_Core_stores()
    {
        var anchor = new DateOnly(2028, 2, 29);
        var at = new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(1));
        await using (var db = _database.CreateContext())
        {
            var account = new Account { Name = "Zoë", BillingContacts = ["zoë@example.test", "b@example.test"], ProductTypes = ["Ticketing"], CreatedAt = at };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            db.Wallets.Add(new Wallet { AccountId = account.Id, Channel = Channel.Sms, Plan = Plan.Monthly, CycleAnchor = anchor, CycleEndsAt = at });
            db.Orders.Add(new Order
            {
                AccountId = account.Id, WalletId = 1, Channel = Channel.Sms, Kind = OrderKind.ChargeNow, Credits = 1, Price = 12.3456m,
                Status = OrderStatus.Declined, IdempotencyKey = "k", RequestHash = "h", CreatedAt = at,
            });
            await db.SaveChangesAsync();
        }

        using var connection = Open();
        Assert.Equal(StoredValues.List(["zoë@example.test", "b@example.test"]), Scalar(connection, """SELECT "BillingContacts" FROM "Accounts" """));
        Assert.Equal(StoredValues.Instant(at), Scalar(connection, """SELECT "CreatedAt" FROM "Accounts" """));
        Assert.Equal(StoredValues.Date(anchor), Scalar(connection, """SELECT "CycleAnchor" FROM "Wallets" """));
        Assert.Equal(StoredValues.Name(Plan.Monthly), Scalar(connection, """SELECT "Plan" FROM "Wallets" """));
        Assert.Equal(StoredValues.Money(12.3456m), Scalar(connection, """SELECT "Price" FROM "Orders" """));
        Assert.Equal(123_456L, StoredValues.Money(12.3456m));
        Assert.Equal(StoredValues.Name(OrderStatus.Declined), Scalar(connection, """SELECT "Status" FROM "Orders" """));
    }

    private DbConnection Open()
    {
        var connection = _database.Portal.CreateConnection();
        connection.Open();
        return connection;
    }

    /// <summary>Has the database check <paramref name="sql"/> against the schema without running it: SQLite prepares it;
    /// PostgreSQL PREPAREs it (its parameters numbered) and forgets it again.</summary>
    private static void Prepare(DbConnection connection, string name, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = connection is SqliteConnection ? sql : $"PREPARE creditportal_check AS {PositionalSql.From(sql).Text}";
        try
        {
            if (connection is SqliteConnection) command.Prepare();
            else
            {
                command.ExecuteNonQuery();
                command.CommandText = "DEALLOCATE creditportal_check";
                command.ExecuteNonQuery();
            }
        }
        catch (DbException e)
        {
            Assert.Fail($"{name} does not prepare: {e.Message}\nSQL: {sql}");
        }
    }

    private static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose() => _database.Dispose();
}
