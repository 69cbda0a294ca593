using System.Globalization;
using CreditPortal.Data;
using CreditPortal.Ledger;
using System.Data.Common;

namespace CreditPortal.Reports;

/// <summary>
/// The reports' SQL, inside one read transaction: everything read through one reader comes from the same
/// committed snapshot (SQLite's WAL, PostgreSQL's REPEATABLE READ, lets it run beside the ledger writer), so an export's sheets agree with each other
/// even while sends go on. Spending comes from ListDailyUsage, the per-day totals the ledger keeps in the
/// same transaction as each decision; consumptions and ledger entries are only read for the rows shown or
/// exported, through the indexes in <see cref="ReportIndexes"/>. Every statement is in <see cref="Sql"/>, whole (filters are
/// parameters that may be null, not SQL put together per call), so a test can prepare each one against the schema.
/// </summary>
internal sealed class ReportReader : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Sql _sql;

    private ReportReader(DbConnection connection, DbTransaction transaction, Sql sql)
    {
        _connection = connection;
        _transaction = transaction;
        _sql = sql;
    }

    public static async Task<ReportReader> OpenAsync(PortalDatabase database, CancellationToken cancellationToken)
    {
        var connection = database.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new ReportReader(connection, await database.BeginSnapshotAsync(connection, cancellationToken), Sql.For(database.Dialect));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ReportAccount? Account(long accountId)
    {
        using var command = Command(Sql.Account, ("@a", accountId));
        using var r = command.ExecuteReader();
        return r.Read() ? new ReportAccount(r.GetInt64(0), r.GetString(1), r.GetString(2)) : null;
    }

    public Dictionary<long, string> ListNames(long accountId)
    {
        using var command = Command(Sql.ListNames, ("@a", accountId));
        using var r = command.ExecuteReader();
        var names = new Dictionary<long, string>();
        while (r.Read()) names[r.GetInt64(0)] = r.GetString(1);
        return names;
    }

    /// <summary>Issue #17: the credits the account's active holds hold now, per channel (not spent: a hold is spent when captured).</summary>
    public Dictionary<Channel, long> HeldNow(long accountId)
    {
        using var command = Command(Sql.HeldNow, ("@a", accountId));
        using var r = command.ExecuteReader();
        var held = new Dictionary<Channel, long>();
        while (r.Read())
        {
            var channel = ParseChannel(r.GetString(0));
            held[channel] = held.GetValueOrDefault(channel) + r.GetInt64(1);
        }
        return held;
    }

    /// <summary>The per-day, per-list totals in <paramref name="from"/>..<paramref name="to"/> (local dates, inclusive).</summary>
    public List<UsageDay> UsageDays(long accountId, DateOnly from, DateOnly to)
    {
        using var command = Command(Sql.UsageDays, ("@a", accountId), ("@from", Date(from)), ("@to", Date(to)));
        using var r = command.ExecuteReader();
        var days = new List<UsageDay>();
        while (r.Read())
        {
            days.Add(new UsageDay(ParseDate(r.GetString(0)), r.GetInt64(1), ParseChannel(r.GetString(2)), r.GetInt64(3), r.GetInt64(4),
                r.GetInt64(5), r.GetInt64(6), r.GetInt64(7)));
        }
        return days;
    }

    /// <summary>Every ledger entry but consumptions in [start, end): what the history view and the Summary's
    /// "added" and "expired" columns show. A handful of rows per month, found through a partial index, so plain
    /// offsets page through them cheaply.</summary>
    public IEnumerable<LedgerLine> Ledger(long accountId, DateTimeOffset start, DateTimeOffset end, IReadOnlyDictionary<long, string> listNames,
        long skip = 0, long take = -1)
    {
        using var command = Command(_sql.LedgerPage, ("@a", accountId), ("@s", start.UtcTicks), ("@e", end.UtcTicks), ("@take", Limit(take)), ("@skip", skip));
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            var listId = r.IsDBNull(9) ? (long?)null : r.GetInt64(9);
            yield return new LedgerLine(
                r.GetInt64(0), Instant(r.GetInt64(1)), ParseChannel(r.GetString(2)), Enum.Parse<LedgerEntryKind>(r.GetString(3)), r.GetInt64(4),
                r.GetInt64(5), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.IsDBNull(8) ? null : Enum.Parse<LotKind>(r.GetString(8)), listId,
                listId is { } id ? listNames.GetValueOrDefault(id, $"#{id}") : null, r.IsDBNull(10) ? null : r.GetInt64(10), r.GetString(11),
                r.IsDBNull(12) ? null : r.GetString(12), r.IsDBNull(13) ? null : r.GetString(13));
        }
    }

    public long CountLedger(long accountId, DateTimeOffset start, DateTimeOffset end)
    {
        using var command = Command(_sql.LedgerCount, ("@a", accountId), ("@s", start.UtcTicks), ("@e", end.UtcTicks));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>How many consumptions <paramref name="query"/> selects: decided ones, then queued ones.</summary>
    public (long Decided, long Queued) CountConsumptions(long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end)
    {
        long decided = 0, queued = 0;
        if (HasDecided(query))
        {
            using var command = Filtered(_sql.DecidedCount, accountId, query, start, end);
            decided = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        if (HasQueued(query))
        {
            using var command = Filtered(Sql.QueuedCount, accountId, query, start, end);
            queued = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        return (decided, queued);
    }

    /// <summary>
    /// Consumptions in the drill-down's order (<see cref="ConsumptionKey"/>): decided ones by decision time, then queued
    /// ones by request. Forward, the rows after <paramref name="from"/> (null: from the first); backward, the rows
    /// before it (null: from the last), nearest first. Either way the walk starts with one index seek, so its cost
    /// depends on <paramref name="skip"/> + <paramref name="take"/>, never on how deep <paramref name="from"/> is.
    /// </summary>
    public IEnumerable<ConsumptionLine> Consumptions(long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyDictionary<long, string> listNames, ConsumptionKey? from = null, bool backward = false, long skip = 0, long take = -1)
        => backward
            ? Backward(accountId, query, start, end, listNames, from, skip, take)
            : Forward(accountId, query, start, end, listNames, from, skip, take);

    private IEnumerable<ConsumptionLine> Forward(long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyDictionary<long, string> listNames, ConsumptionKey? after, long skip, long take)
    {
        if (take == 0) yield break;
        if (HasDecided(query) && after is not { IsQueued: true })
        {
            var key = after ?? ConsumptionKey.BeforeDecided(start);
            var read = 0L;
            foreach (var line in Page(_sql.DecidedForward, accountId, query, start, end, listNames, key, skip, take))
            {
                read++;
                yield return line;
            }
            if (!HasQueued(query) || read == take) yield break;
            if (take > 0) take -= read;
            // Past the decided ones: a skip that was not used up continues into the queued ones.
            skip = read > 0 || skip == 0 ? 0 : Math.Max(0, skip - CountAfter(_sql.DecidedCountAfter, accountId, query, start, end, key));
            after = null;
        }
        if (HasQueued(query))
        {
            foreach (var line in Page(Sql.QueuedForward, accountId, query, start, end, listNames, after ?? ConsumptionKey.BeforeQueued, skip, take))
                yield return line;
        }
    }

    private IEnumerable<ConsumptionLine> Backward(long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyDictionary<long, string> listNames, ConsumptionKey? before, long skip, long take)
    {
        if (take == 0) yield break;
        if (HasQueued(query) && before is not { IsQueued: false })
        {
            var key = before ?? ConsumptionKey.AfterQueued;
            var read = 0L;
            foreach (var line in Page(Sql.QueuedBackward, accountId, query, start, end, listNames, key, skip, take))
            {
                read++;
                yield return line;
            }
            if (!HasDecided(query) || read == take) yield break;
            if (take > 0) take -= read;
            skip = read > 0 || skip == 0 ? 0 : Math.Max(0, skip - CountAfter(Sql.QueuedCountBefore, accountId, query, start, end, key));
            before = null;
        }
        if (HasDecided(query))
        {
            foreach (var line in Page(_sql.DecidedBackward, accountId, query, start, end, listNames, before ?? ConsumptionKey.AfterDecided(end), skip, take))
                yield return line;
        }
    }

    private IEnumerable<ConsumptionLine> Page(string sql, long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyDictionary<long, string> listNames, ConsumptionKey key, long skip, long take)
    {
        using var command = Filtered(sql, accountId, query, start, end);
        BindKey(command, key);
        command.AddParameter("@take", Limit(take));
        command.AddParameter("@skip", skip);
        using var r = command.ExecuteReader();
        while (r.Read()) yield return ReadConsumption(r, listNames);
    }

    private long CountAfter(string sql, long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end, ConsumptionKey key)
    {
        using var command = Filtered(sql, accountId, query, start, end);
        BindKey(command, key);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static bool HasDecided(ConsumptionQuery query) => query.Status is not ConsumptionStatus.Queued;

    private static bool HasQueued(ConsumptionQuery query) => query.Status is null or ConsumptionStatus.Queued;

    private static ConsumptionLine ReadConsumption(DbDataReader r, IReadOnlyDictionary<long, string> listNames)
    {
        var listId = r.GetInt64(3);
        var status = ParseStatus(r.GetString(9));
        var credits = r.GetInt64(8);
        var unmetered = r.GetBoolean(12);
        return new ConsumptionLine(
            r.GetInt64(0), Instant(r.GetInt64(1)), r.IsDBNull(2) ? null : Instant(r.GetInt64(2)), listId,
            listNames.GetValueOrDefault(listId, $"#{listId}"), ParseChannel(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetInt64(6), Convert.ToInt32(r.GetValue(7), CultureInfo.InvariantCulture), credits, status == ConsumptionStatus.Accepted && !unmetered ? credits : 0, status,
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11));
    }

    /// <summary>A statement over the consumptions with the range and the query's filters bound (null: not filtered).</summary>
    private DbCommand Filtered(string sql, long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end)
        => Command(sql, ("@a", accountId), ("@s", start.UtcTicks), ("@e", end.UtcTicks), ("@list", (object?)query.ListId ?? DBNull.Value),
            ("@channel", (object?)query.Channel?.ToString() ?? DBNull.Value),
            ("@status", query.Status is ConsumptionStatus.Accepted or ConsumptionStatus.Rejected ? query.Status.ToString()! : DBNull.Value));

    private static void BindKey(DbCommand command, ConsumptionKey key)
    {
        command.AddParameter("@kd", key.DecidedAt);
        command.AddParameter("@kl", key.ListId);
        command.AddParameter("@kc", key.Channel);
        command.AddParameter("@ks", key.Status);
        command.AddParameter("@ki", key.Id);
    }

    /// <summary>A page size, or "no limit" for a negative one, as the database spells it.</summary>
    private object Limit(long take) => take < 0 ? _sql.Dialect.NoLimit : take;

    private DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.AddParameter(name, value);
        return command;
    }

    private static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Enums are stored as their names (Data/LedgerConfigurations.cs); these are read once per exported row.
    private static Channel ParseChannel(string text) => text switch
    {
        "Email" => Channel.Email,
        "Sms" => Channel.Sms,
        _ => Enum.Parse<Channel>(text),
    };

    private static ConsumptionStatus ParseStatus(string text) => text switch
    {
        "Accepted" => ConsumptionStatus.Accepted,
        "Rejected" => ConsumptionStatus.Rejected,
        "Queued" => ConsumptionStatus.Queued,
        _ => Enum.Parse<ConsumptionStatus>(text),
    };

    /// <summary>
    /// Every statement the reports run, in the database's dialect. A filter that may be null is cast where it is first
    /// tested for null, so PostgreSQL knows its type even when no value comes with it. Consumption statements take the range (<c>@a</c>,
    /// <c>@s</c>, <c>@e</c>) and the filters <c>@list</c>, <c>@channel</c>, <c>@status</c> (null: all); the pages also a
    /// <see cref="ConsumptionKey"/> (<c>@kd</c>, <c>@kl</c>, <c>@kc</c>, <c>@ks</c>, <c>@ki</c>), <c>@skip</c> and <c>@take</c>.
    /// </summary>
    internal sealed class Sql
    {
        /// <summary>Issue #17: through IX_Holds_AccountId_Status; summed per channel in code (an account's active holds are few, and
        /// a GROUP BY would sort). (Declared before the instances below, whose list names it.)</summary>
        public static readonly string HeldNow = $"""
            SELECT "Channel", "Held" FROM "Holds" WHERE "AccountId" = @a AND "Status" = {StoredValues.Literal(HoldStatus.Active)}
            """;

        public static readonly Sql Sqlite = new(SqlDialect.Sqlite);
        public static readonly Sql PostgreSql = new(SqlDialect.PostgreSql);

        public static Sql For(SqlDialect dialect) => dialect.IsSqlite ? Sqlite : PostgreSql;

        private Sql(SqlDialect dialect)
        {
            Dialect = dialect;
            LedgerPage = $"""
                SELECT e."Id", e."At", e."Channel", e."Kind", e."Quantity", e."AssignedDelta", e."HeldDelta", e."LotId", l."Kind", e."ListId", e."OrderId", e."Actor", e."Reason", e."Detail"
                FROM "LedgerEntries" e{dialect.IndexedBy(ReportIndexes.LedgerHistory)}
                LEFT JOIN "Lots" l ON l."Id" = e."LotId"
                WHERE e."AccountId" = @a AND {ReportIndexes.LedgerHistoryFilter} AND e."At" >= @s AND e."At" < @e
                ORDER BY e."At", e."Id" LIMIT @take OFFSET @skip
                """;
            LedgerCount = $"""
                SELECT COUNT(*) FROM "LedgerEntries" e{dialect.IndexedBy(ReportIndexes.LedgerHistory)}
                WHERE e."AccountId" = @a AND {ReportIndexes.LedgerHistoryFilter} AND e."At" >= @s AND e."At" < @e
                """;
            // Decided consumptions walk ReportIndexes.ConsumptionsByDecision in its own order, (DecidedAt, ListId, Channel,
            // Status, rowid): no sort, and a page after or before a key starts with one seek on the key's row value. The
            // range's bound on the side the walk comes from is the key's job (ConsumptionKey.BeforeDecided/AfterDecided):
            // given both, SQLite seeks on the plain bound and walks to the key, row by row. The filters are columns of
            // the index, so they are checked on the index entries without reading the table.
            var decided = $"""
                FROM "Consumptions" c{dialect.IndexedBy(ReportIndexes.ConsumptionsByDecision)}
                WHERE c."AccountId" = @a
                  AND (CAST(@list AS bigint) IS NULL OR c."ListId" = @list) AND (CAST(@channel AS text) IS NULL OR c."Channel" = @channel)
                  AND (CAST(@status AS text) IS NULL OR c."Status" = @status)
                """;
            DecidedCount = "SELECT COUNT(*) " + decided + "\n  AND c.\"DecidedAt\" >= @s AND c.\"DecidedAt\" < @e";
            DecidedCountAfter = "SELECT COUNT(*) " + decided + AfterKey;
            DecidedForward = Columns + "\n" + decided + AfterKey
                + "\nORDER BY c.\"DecidedAt\", c.\"ListId\", c.\"Channel\", c.\"Status\", c.\"Id\" LIMIT @take OFFSET @skip";
            DecidedBackward = Columns + "\n" + decided + BeforeKey
                + "\nORDER BY c.\"DecidedAt\" DESC, c.\"ListId\" DESC, c.\"Channel\" DESC, c.\"Status\" DESC, c.\"Id\" DESC LIMIT @take OFFSET @skip";
            All =
            [
                (nameof(Account), Account), (nameof(ListNames), ListNames), (nameof(UsageDays), UsageDays), (nameof(LedgerPage), LedgerPage),
                (nameof(LedgerCount), LedgerCount), (nameof(DecidedCount), DecidedCount), (nameof(DecidedCountAfter), DecidedCountAfter),
                (nameof(DecidedForward), DecidedForward), (nameof(DecidedBackward), DecidedBackward), (nameof(QueuedCount), QueuedCount),
                (nameof(QueuedCountBefore), QueuedCountBefore), (nameof(QueuedForward), QueuedForward), (nameof(QueuedBackward), QueuedBackward),
                (nameof(HeldNow), HeldNow),
            ];
        }

        public SqlDialect Dialect { get; }

        public const string Account = """SELECT "Id", "Name", "TimeZoneId" FROM "Accounts" WHERE "Id" = @a""";

        public const string ListNames = """SELECT "Id", "Name" FROM "Lists" WHERE "AccountId" = @a""";


        public const string UsageDays = """
            SELECT "LocalDate", "ListId", "Channel", "Messages", "Credits", "Accepted", "Rejected", "RejectedMessages"
            FROM "ListDailyUsage" WHERE "AccountId" = @a AND "LocalDate" >= @from AND "LocalDate" <= @to
            """;

        public string LedgerPage { get; }

        public string LedgerCount { get; }

        private const string Columns = """
            SELECT c."Id", c."RequestedAt", c."DecidedAt", c."ListId", c."Channel", c."Country", c."Quantity", c."CreditsPerMessage", c."Credits", c."Status",
              c."Reason", c."Reference", c."Unmetered"
            """;

        private const string AfterKey = """

              AND (c."DecidedAt", c."ListId", c."Channel", c."Status", c."Id") > (@kd, @kl, @kc, @ks, @ki) AND c."DecidedAt" < @e
            """;

        private const string BeforeKey = """

              AND (c."DecidedAt", c."ListId", c."Channel", c."Status", c."Id") < (@kd, @kl, @kc, @ks, @ki) AND c."DecidedAt" >= @s
            """;

        // Queued consumptions are few: found through the wallet's queue index, never by scanning the range.
        private const string Queued = """
            FROM "Consumptions" c
            WHERE c."WalletId" IN (SELECT w."Id" FROM "Wallets" w WHERE w."AccountId" = @a) AND c."Status" = 'Queued'
              AND c."RequestedAt" >= @s AND c."RequestedAt" < @e
              AND (CAST(@list AS bigint) IS NULL OR c."ListId" = @list) AND (CAST(@channel AS text) IS NULL OR c."Channel" = @channel)
            """;

        public string DecidedCount { get; }

        public string DecidedCountAfter { get; }

        public string DecidedForward { get; }

        public string DecidedBackward { get; }

        public const string QueuedCount = "SELECT COUNT(*) " + Queued;

        public const string QueuedCountBefore = "SELECT COUNT(*) " + Queued + " AND c.\"Id\" < @ki";

        public const string QueuedForward = Columns + "\n" + Queued + " AND c.\"Id\" > @ki ORDER BY c.\"Id\" LIMIT @take OFFSET @skip";

        public const string QueuedBackward = Columns + "\n" + Queued + " AND c.\"Id\" < @ki ORDER BY c.\"Id\" DESC LIMIT @take OFFSET @skip";

        /// <summary>Every statement above, by name.</summary>
        public IReadOnlyList<(string Name, string Text)> All { get; }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>One row of ListDailyUsage.</summary>
internal readonly record struct UsageDay(DateOnly Date, long ListId, Channel Channel, long Messages, long Credits, long Accepted, long Rejected,
    long RejectedMessages);
