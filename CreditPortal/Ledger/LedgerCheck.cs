using CreditPortal.Data;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Ledger;

/// <summary>One way the stored balances and the ledger disagree.</summary>
public sealed record LedgerDifference(string Scope, long Id, string Problem, long Expected, long Actual)
{
    public override string ToString() => $"{Scope} {Id}: {Problem} (ledger says {Expected}, stored {Actual})";
}

/// <summary>
/// Recomputes every lot, wallet and list assignment from the ledger entries alone and reports every
/// difference with what is stored, plus the invariants that must hold at every instant (R4: nothing
/// negative; remaining within quantity; accepted consumptions drew exactly their credits; report totals
/// equal the ledger). Runs in one read transaction, so it sees one consistent snapshot.
/// </summary>
public sealed class LedgerCheck(PortalDatabase database)
{
    // The stored words, from the one definition of how values are stored (declared before the checks that use them).
    private static readonly string Accepted = StoredValues.Literal(ConsumptionStatus.Accepted);
    private static readonly string Shared = StoredValues.Literal(AllocationMode.Shared);
    private static readonly string ConsumptionEntry = StoredValues.Literal(LedgerEntryKind.Consumption);

    /// <summary>Each check's SQL returns (id, what the ledger says, what is stored) per difference. Prepared by the statement tests.</summary>
    internal static readonly (string Scope, string Problem, string Sql)[] Checks =
    [
        ("lot", "remaining differs from the sum of its entries", """
            SELECT l.Id, COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.LotId = l.Id), 0), l.Remaining
            FROM Lots l WHERE COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.LotId = l.Id), 0) <> l.Remaining
            """),
        ("lot", "remaining outside 0..quantity", "SELECT Id, Quantity, Remaining FROM Lots WHERE Remaining < 0 OR Remaining > Quantity"),
        ("lot", "expired but still holds credits", "SELECT Id, 0, Remaining FROM Lots WHERE ExpiredAt IS NOT NULL AND Remaining <> 0"),
        ("lot", "no entry granting its quantity", """
            SELECT l.Id, l.Quantity, COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.LotId = l.Id AND e.Quantity > 0), 0)
            FROM Lots l WHERE COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.LotId = l.Id AND e.Quantity > 0), 0) <> l.Quantity
            """),
        ("wallet", "total differs from the sum of its entries", """
            SELECT w.Id, COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.WalletId = w.Id), 0),
                   COALESCE((SELECT SUM(l.Remaining) FROM Lots l WHERE l.WalletId = w.Id), 0)
            FROM Wallets w
            WHERE COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.WalletId = w.Id), 0)
               <> COALESCE((SELECT SUM(l.Remaining) FROM Lots l WHERE l.WalletId = w.Id), 0)
            """),
        ("list", "assignment differs from the sum of its entries", """
            SELECT c.ListId, COALESCE((SELECT SUM(e.AssignedDelta) FROM LedgerEntries e WHERE e.ListId = c.ListId AND e.Channel = c.Channel), 0), c.Assigned
            FROM ListChannels c
            WHERE COALESCE((SELECT SUM(e.AssignedDelta) FROM LedgerEntries e WHERE e.ListId = c.ListId AND e.Channel = c.Channel), 0) <> c.Assigned
            """),
        ("list", "Shared list holds an assignment", $"SELECT ListId, 0, Assigned FROM ListChannels WHERE Mode = {Shared} AND Assigned <> 0"),
        ("wallet", "lists are assigned more than the wallet holds (R4)", """
            SELECT w.Id, COALESCE((SELECT SUM(l.Remaining) FROM Lots l WHERE l.WalletId = w.Id), 0),
                   COALESCE((SELECT SUM(c.Assigned) FROM ListChannels c WHERE c.AccountId = w.AccountId AND c.Channel = w.Channel), 0)
            FROM Wallets w
            WHERE COALESCE((SELECT SUM(c.Assigned) FROM ListChannels c WHERE c.AccountId = w.AccountId AND c.Channel = w.Channel), 0)
                > COALESCE((SELECT SUM(l.Remaining) FROM Lots l WHERE l.WalletId = w.Id), 0)
            """),
        ("consumption", "accepted but did not draw its credits", $"""
            SELECT c.Id, c.Credits, -COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.ConsumptionId = c.Id), 0)
            FROM Consumptions c
            WHERE c.Status = {Accepted} AND c.Unmetered = 0
              AND -COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.ConsumptionId = c.Id), 0) <> c.Credits
            """),
        ("consumption", "not accepted but has ledger entries", $"""
            SELECT c.Id, 0, (SELECT COUNT(*) FROM LedgerEntries e WHERE e.ConsumptionId = c.Id)
            FROM Consumptions c WHERE c.Status <> {Accepted} AND EXISTS (SELECT 1 FROM LedgerEntries e WHERE e.ConsumptionId = c.Id)
            """),
        ("account", "report totals differ from the ledger's consumption entries", $"""
            SELECT a.Id, -COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.AccountId = a.Id AND e.Kind = {ConsumptionEntry}), 0),
                   COALESCE((SELECT SUM(u.Credits) FROM ListDailyUsage u WHERE u.AccountId = a.Id), 0)
            FROM Accounts a
            WHERE -COALESCE((SELECT SUM(e.Quantity) FROM LedgerEntries e WHERE e.AccountId = a.Id AND e.Kind = {ConsumptionEntry}), 0)
               <> COALESCE((SELECT SUM(u.Credits) FROM ListDailyUsage u WHERE u.AccountId = a.Id), 0)
            """),
        ("account", "accepted messages differ from the report totals", $"""
            SELECT a.Id, COALESCE((SELECT SUM(c.Quantity) FROM Consumptions c WHERE c.AccountId = a.Id AND c.Status = {Accepted}), 0),
                   COALESCE((SELECT SUM(u.Messages) FROM ListDailyUsage u WHERE u.AccountId = a.Id), 0)
            FROM Accounts a
            WHERE COALESCE((SELECT SUM(c.Quantity) FROM Consumptions c WHERE c.AccountId = a.Id AND c.Status = {Accepted}), 0)
               <> COALESCE((SELECT SUM(u.Messages) FROM ListDailyUsage u WHERE u.AccountId = a.Id), 0)
            """),
    ];

    public async Task<IReadOnlyList<LedgerDifference>> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var differences = new List<LedgerDifference>();
        foreach (var (scope, problem, sql) in Checks)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                differences.Add(new LedgerDifference(scope, reader.GetInt64(0), problem, reader.GetInt64(1), reader.GetInt64(2)));
        }
        return differences;
    }
}
