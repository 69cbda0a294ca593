using System.Globalization;
using CreditPortal.Data;
using CreditPortal.Ledger;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Reports;

/// <summary>
/// The reports' SQL, inside one read transaction: everything read through one reader comes from the same
/// committed snapshot (WAL lets it run beside the ledger writer), so an export's sheets agree with each other
/// even while sends go on. Spending comes from ListDailyUsage, the per-day totals the ledger keeps in the
/// same transaction as each decision; consumptions and ledger entries are only read for the rows shown or
/// exported, through the indexes in <see cref="ReportIndexes"/>.
/// </summary>
internal sealed class ReportReader : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    private ReportReader(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<ReportReader> OpenAsync(PortalDatabase database, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(database.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new ReportReader(connection, connection.BeginTransaction(deferred: true));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ReportAccount? Account(long accountId)
    {
        using var command = Command("SELECT Id, Name, TimeZoneId FROM Accounts WHERE Id = $a", ("$a", accountId));
        using var r = command.ExecuteReader();
        return r.Read() ? new ReportAccount(r.GetInt64(0), r.GetString(1), r.GetString(2)) : null;
    }

    public Dictionary<long, string> ListNames(long accountId)
    {
        using var command = Command("SELECT Id, Name FROM Lists WHERE AccountId = $a", ("$a", accountId));
        using var r = command.ExecuteReader();
        var names = new Dictionary<long, string>();
        while (r.Read()) names[r.GetInt64(0)] = r.GetString(1);
        return names;
    }

    /// <summary>The per-day, per-list totals in <paramref name="from"/>..<paramref name="to"/> (local dates, inclusive).</summary>
    public List<UsageDay> UsageDays(long accountId, DateOnly from, DateOnly to)
    {
        using var command = Command("""
            SELECT LocalDate, ListId, Channel, Messages, Credits, Accepted, Rejected, RejectedMessages
            FROM ListDailyUsage WHERE AccountId = $a AND LocalDate >= $from AND LocalDate <= $to
            """, ("$a", accountId), ("$from", Date(from)), ("$to", Date(to)));
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
    /// "added" and "expired" columns show. A handful of rows per month, found through a partial index.</summary>
    public IEnumerable<LedgerLine> Ledger(long accountId, DateTimeOffset start, DateTimeOffset end, IReadOnlyDictionary<long, string> listNames,
        long skip = 0, long take = -1)
    {
        using var command = Command($"""
            SELECT e.Id, e.At, e.Channel, e.Kind, e.Quantity, e.AssignedDelta, e.LotId, l.Kind, e.ListId, e.OrderId, e.Actor, e.Reason, e.Detail
            FROM LedgerEntries e INDEXED BY {ReportIndexes.LedgerHistory}
            LEFT JOIN Lots l ON l.Id = e.LotId
            WHERE e.AccountId = $a AND {ReportIndexes.LedgerHistoryFilter} AND e.At >= $s AND e.At < $e
            ORDER BY e.At, e.Id LIMIT $take OFFSET $skip
            """, ("$a", accountId), ("$s", start.UtcTicks), ("$e", end.UtcTicks), ("$take", take), ("$skip", skip));
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            var listId = r.IsDBNull(8) ? (long?)null : r.GetInt64(8);
            yield return new LedgerLine(
                r.GetInt64(0), Instant(r.GetInt64(1)), ParseChannel(r.GetString(2)), Enum.Parse<LedgerEntryKind>(r.GetString(3)), r.GetInt64(4),
                r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : Enum.Parse<LotKind>(r.GetString(7)), listId,
                listId is { } id ? listNames.GetValueOrDefault(id, $"#{id}") : null, r.IsDBNull(9) ? null : r.GetInt64(9), r.GetString(10),
                r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12));
        }
    }

    public long CountLedger(long accountId, DateTimeOffset start, DateTimeOffset end)
    {
        using var command = Command($"""
            SELECT COUNT(*) FROM LedgerEntries e INDEXED BY {ReportIndexes.LedgerHistory}
            WHERE e.AccountId = $a AND {ReportIndexes.LedgerHistoryFilter} AND e.At >= $s AND e.At < $e
            """, ("$a", accountId), ("$s", start.UtcTicks), ("$e", end.UtcTicks));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>How many consumptions <paramref name="query"/> selects: decided ones, then queued ones.</summary>
    public (long Decided, long Queued) CountConsumptions(long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end)
    {
        long decided = 0, queued = 0;
        if (query.Status is not ConsumptionStatus.Queued)
        {
            using var command = DecidedCommand("SELECT COUNT(*)", accountId, query, start, end, "");
            decided = (long)command.ExecuteScalar()!;
        }
        if (query.Status is null or ConsumptionStatus.Queued)
        {
            using var command = QueuedCommand("SELECT COUNT(*)", accountId, query, start, end, "");
            queued = (long)command.ExecuteScalar()!;
        }
        return (decided, queued);
    }

    /// <summary>
    /// Consumptions in order: decided ones by decision time, then queued ones by request. <paramref name="skip"/> and
    /// <paramref name="take"/> page through that order without reading the skipped rows' columns (the page's ids come
    /// from the index alone).
    /// </summary>
    public IEnumerable<ConsumptionLine> Consumptions(long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyDictionary<long, string> listNames, long skip = 0, long take = -1)
    {
        if (take == 0) yield break;
        if (query.Status is not ConsumptionStatus.Queued)
        {
            // Only "all" continues into the queued ones, and only then does a skip need the decided count.
            var decided = query.Status is null && skip > 0 ? CountConsumptions(accountId, query, start, end).Decided : long.MaxValue;
            if (skip >= decided)
            {
                skip -= decided;
            }
            else
            {
                var paged = skip > 0 || take > 0;
                using var command = paged
                    ? Command($"""
                        {ConsumptionColumns} WHERE c.Id IN (
                          SELECT c.Id FROM Consumptions c INDEXED BY {ReportIndexes.ConsumptionsByDecision}
                          WHERE {DecidedWhere(query)} ORDER BY c.DecidedAt, c.Id LIMIT $take OFFSET $skip)
                        ORDER BY c.DecidedAt, c.Id
                        """)
                    : Command($"{ConsumptionColumns} INDEXED BY {ReportIndexes.ConsumptionsByDecision} WHERE {DecidedWhere(query)} ORDER BY c.DecidedAt, c.Id");
                Bind(command, accountId, query, start, end);
                if (paged)
                {
                    command.Parameters.AddWithValue("$take", take);
                    command.Parameters.AddWithValue("$skip", skip);
                }
                var read = 0L;
                using (var r = command.ExecuteReader())
                {
                    while (r.Read())
                    {
                        read++;
                        yield return ReadConsumption(r, listNames);
                    }
                }
                if (query.Status is not null) yield break;
                if (take > 0)
                {
                    take -= read;
                    if (take == 0) yield break;
                }
                skip = 0; // the decided ones ran out inside this page: the queued ones follow from their first
            }
        }

        using (var command = QueuedCommand(ConsumptionColumns, accountId, query, start, end, "ORDER BY c.Id LIMIT $take OFFSET $skip"))
        {
            command.Parameters.AddWithValue("$take", take);
            command.Parameters.AddWithValue("$skip", skip);
            using var r = command.ExecuteReader();
            while (r.Read()) yield return ReadConsumption(r, listNames);
        }
    }

    private const string ConsumptionColumns = """
        SELECT c.Id, c.RequestedAt, c.DecidedAt, c.ListId, c.Channel, c.Country, c.Quantity, c.CreditsPerMessage, c.Credits, c.Status,
          c.Reason, c.Reference, c.Unmetered
        FROM Consumptions c
        """;

    private static ConsumptionLine ReadConsumption(SqliteDataReader r, IReadOnlyDictionary<long, string> listNames)
    {
        var listId = r.GetInt64(3);
        var status = ParseStatus(r.GetString(9));
        var credits = r.GetInt64(8);
        var unmetered = r.GetInt64(12) != 0;
        return new ConsumptionLine(
            r.GetInt64(0), Instant(r.GetInt64(1)), r.IsDBNull(2) ? null : Instant(r.GetInt64(2)), listId,
            listNames.GetValueOrDefault(listId, $"#{listId}"), ParseChannel(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetInt64(6), r.GetInt32(7), credits, status == ConsumptionStatus.Accepted && !unmetered ? credits : 0, status,
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11));
    }

    private static string DecidedWhere(ConsumptionQuery query)
        => "c.AccountId = $a AND c.DecidedAt >= $s AND c.DecidedAt < $e" + Filters(query, withStatus: true);

    private static string Filters(ConsumptionQuery query, bool withStatus)
        => (query.ListId is null ? "" : " AND c.ListId = $list")
           + (query.Channel is null ? "" : " AND c.Channel = $channel")
           + (withStatus && query.Status is not null ? " AND c.Status = $status" : "");

    private SqliteCommand DecidedCommand(string select, long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end, string tail)
    {
        var command = Command($"{select} FROM Consumptions c INDEXED BY {ReportIndexes.ConsumptionsByDecision} WHERE {DecidedWhere(query)} {tail}");
        Bind(command, accountId, query, start, end);
        return command;
    }

    /// <summary>Queued consumptions are few: found through the wallet's queue index, never by scanning the range.</summary>
    private SqliteCommand QueuedCommand(string select, long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end, string tail)
    {
        var from = select.Contains("FROM Consumptions", StringComparison.Ordinal) ? select : select + " FROM Consumptions c";
        var command = Command($"""
            {from}
            WHERE c.WalletId IN (SELECT w.Id FROM Wallets w WHERE w.AccountId = $a) AND c.Status = 'Queued'
              AND c.RequestedAt >= $s AND c.RequestedAt < $e{Filters(query, withStatus: false)}
            {tail}
            """);
        Bind(command, accountId, query, start, end);
        return command;
    }

    private static void Bind(SqliteCommand command, long accountId, ConsumptionQuery query, DateTimeOffset start, DateTimeOffset end)
    {
        command.Parameters.AddWithValue("$a", accountId);
        command.Parameters.AddWithValue("$s", start.UtcTicks);
        command.Parameters.AddWithValue("$e", end.UtcTicks);
        if (query.ListId is { } list) command.Parameters.AddWithValue("$list", list);
        if (query.Channel is { } channel) command.Parameters.AddWithValue("$channel", channel.ToString());
        if (query.Status is { } status) command.Parameters.AddWithValue("$status", status.ToString());
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
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

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>One row of ListDailyUsage.</summary>
internal readonly record struct UsageDay(DateOnly Date, long ListId, Channel Channel, long Messages, long Credits, long Accepted, long Rejected,
    long RejectedMessages);
