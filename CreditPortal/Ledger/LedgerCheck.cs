using CreditPortal.Data;

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
    private static readonly string ActiveHold = StoredValues.Literal(HoldStatus.Active);

    /// <summary>
    /// Each check's SQL returns (id, what the ledger says, what is stored) per difference. Entries are summed per
    /// lot, wallet, list and consumption in one pass each (GROUP BY): the ledger's tables carry only the indexes
    /// their everyday queries use, and a check reads everything anyway. Prepared by the statement tests.
    /// </summary>
    internal static readonly (string Scope, string Problem, string Sql)[] Checks =
    [
        ("lot", "remaining differs from the sum of its entries", """
            SELECT l."Id", COALESCE(e."Sum", 0), l."Remaining"
            FROM "Lots" l LEFT JOIN (SELECT "LotId", SUM("Quantity") AS "Sum" FROM "LedgerEntries" WHERE "LotId" IS NOT NULL GROUP BY "LotId") e
              ON e."LotId" = l."Id"
            WHERE COALESCE(e."Sum", 0) <> l."Remaining"
            """),
        // Issue #17: what each lot, hold and wallet holds for holds, rebuilt from HeldDelta.
        ("lot", "held differs from the sum of its entries", """
            SELECT l."Id", COALESCE(e."Sum", 0), l."Held"
            FROM "Lots" l LEFT JOIN (SELECT "LotId", SUM("HeldDelta") AS "Sum" FROM "LedgerEntries" WHERE "LotId" IS NOT NULL GROUP BY "LotId") e
              ON e."LotId" = l."Id"
            WHERE COALESCE(e."Sum", 0) <> l."Held"
            """),
        ("lot", "remaining and held pass its quantity", """SELECT "Id", "Quantity", "Remaining" + "Held" FROM "Lots" WHERE "Held" < 0 OR "Remaining" + "Held" > "Quantity" """),
        ("hold", "held differs from the sum of its entries", """
            SELECT h."Id", COALESCE(e."Sum", 0), h."Held"
            FROM "Holds" h LEFT JOIN (SELECT "HoldId", SUM("HeldDelta") AS "Sum" FROM "LedgerEntries" WHERE "HoldId" IS NOT NULL GROUP BY "HoldId") e
              ON e."HoldId" = h."Id"
            WHERE COALESCE(e."Sum", 0) <> h."Held"
            """),
        ("hold", "ended but still holds credits", $"""SELECT "Id", 0, "Held" FROM "Holds" WHERE "Status" <> {ActiveHold} AND "Held" <> 0"""),
        ("hold", "active but holds none of its credits", $"""SELECT "Id", "Credits", "Held" FROM "Holds" WHERE "Status" = {ActiveHold} AND "Held" <> "Credits" """),
        ("wallet", "held differs between its lots and its holds", $"""
            SELECT w."Id", COALESCE(h."Held", 0), COALESCE(l."Held", 0)
            FROM "Wallets" w
            LEFT JOIN (SELECT "WalletId", SUM("Held") AS "Held" FROM "Lots" GROUP BY "WalletId") l ON l."WalletId" = w."Id"
            LEFT JOIN (SELECT "WalletId", SUM("Held") AS "Held" FROM "Holds" WHERE "Status" = {ActiveHold} GROUP BY "WalletId") h ON h."WalletId" = w."Id"
            WHERE COALESCE(h."Held", 0) <> COALESCE(l."Held", 0)
            """),
        ("lot", "remaining outside 0..quantity", """SELECT "Id", "Quantity", "Remaining" FROM "Lots" WHERE "Remaining" < 0 OR "Remaining" > "Quantity" """),
        ("lot", "expired but still holds credits", """SELECT "Id", 0, "Remaining" FROM "Lots" WHERE "ExpiredAt" IS NOT NULL AND "Remaining" <> 0"""),
        ("lot", "no entry granting its quantity", """
            SELECT l."Id", l."Quantity", COALESCE(e."Granted", 0)
            FROM "Lots" l LEFT JOIN (
                SELECT "LotId", SUM("Quantity") AS "Granted" FROM "LedgerEntries" WHERE "LotId" IS NOT NULL AND "Quantity" > 0 AND "HeldDelta" = 0
                GROUP BY "LotId") e
              ON e."LotId" = l."Id"
            WHERE COALESCE(e."Granted", 0) <> l."Quantity"
            """),
        ("wallet", "total differs from the sum of its entries", """
            SELECT w."Id", COALESCE(e."Sum", 0), COALESCE(l."Remaining", 0)
            FROM "Wallets" w
            LEFT JOIN (SELECT "WalletId", SUM("Quantity") AS "Sum" FROM "LedgerEntries" GROUP BY "WalletId") e ON e."WalletId" = w."Id"
            LEFT JOIN (SELECT "WalletId", SUM("Remaining") AS "Remaining" FROM "Lots" GROUP BY "WalletId") l ON l."WalletId" = w."Id"
            WHERE COALESCE(e."Sum", 0) <> COALESCE(l."Remaining", 0)
            """),
        ("list", "assignment differs from the sum of its entries", """
            SELECT c."ListId", COALESCE(e."Sum", 0), c."Assigned"
            FROM "ListChannels" c LEFT JOIN (
                SELECT "ListId", "Channel", SUM("AssignedDelta") AS "Sum" FROM "LedgerEntries" WHERE "ListId" IS NOT NULL GROUP BY "ListId", "Channel") e
              ON e."ListId" = c."ListId" AND e."Channel" = c."Channel"
            WHERE COALESCE(e."Sum", 0) <> c."Assigned"
            """),
        ("list", "Shared list holds an assignment", $"""SELECT "ListId", 0, "Assigned" FROM "ListChannels" WHERE "Mode" = {Shared} AND "Assigned" <> 0"""),
        ("wallet", "lists are assigned more than the wallet holds (R4)", """
            SELECT w."Id", COALESCE(l."Remaining", 0), COALESCE(c."Assigned", 0)
            FROM "Wallets" w
            LEFT JOIN (SELECT "WalletId", SUM("Remaining") AS "Remaining" FROM "Lots" GROUP BY "WalletId") l ON l."WalletId" = w."Id"
            LEFT JOIN (SELECT "AccountId", "Channel", SUM("Assigned") AS "Assigned" FROM "ListChannels" GROUP BY "AccountId", "Channel") c
              ON c."AccountId" = w."AccountId" AND c."Channel" = w."Channel"
            WHERE COALESCE(c."Assigned", 0) > COALESCE(l."Remaining", 0)
            """),
        ("consumption", "accepted but did not draw its credits", $"""
            SELECT c."Id", c."Credits", -COALESCE(e."Sum", 0)
            FROM "Consumptions" c LEFT JOIN (
                SELECT "ConsumptionId", SUM("Quantity" + "HeldDelta") AS "Sum" FROM "LedgerEntries" WHERE "ConsumptionId" IS NOT NULL GROUP BY "ConsumptionId") e
              ON e."ConsumptionId" = c."Id"
            WHERE c."Status" = {Accepted} AND c."Unmetered" = FALSE AND -COALESCE(e."Sum", 0) <> c."Credits"
            """),
        ("consumption", "not accepted but has ledger entries", $"""
            SELECT c."Id", 0, e."Count"
            FROM "Consumptions" c JOIN (
                SELECT "ConsumptionId", COUNT(*) AS "Count" FROM "LedgerEntries" WHERE "ConsumptionId" IS NOT NULL GROUP BY "ConsumptionId") e
              ON e."ConsumptionId" = c."Id"
            WHERE c."Status" <> {Accepted}
            """),
        ("account", "report totals differ from the ledger's consumption entries", $"""
            SELECT a."Id", -COALESCE(e."Sum", 0), COALESCE(u."Credits", 0)
            FROM "Accounts" a
            LEFT JOIN (SELECT "AccountId", SUM("Quantity" + "HeldDelta") AS "Sum" FROM "LedgerEntries" WHERE "Kind" = {ConsumptionEntry} GROUP BY "AccountId") e
              ON e."AccountId" = a."Id"
            LEFT JOIN (SELECT "AccountId", SUM("Credits") AS "Credits" FROM "ListDailyUsage" GROUP BY "AccountId") u ON u."AccountId" = a."Id"
            WHERE -COALESCE(e."Sum", 0) <> COALESCE(u."Credits", 0)
            """),
        ("account", "accepted messages differ from the report totals", $"""
            SELECT a."Id", COALESCE(c."Messages", 0), COALESCE(u."Messages", 0)
            FROM "Accounts" a
            LEFT JOIN (SELECT "AccountId", SUM("Quantity") AS "Messages" FROM "Consumptions" WHERE "Status" = {Accepted} GROUP BY "AccountId") c
              ON c."AccountId" = a."Id"
            LEFT JOIN (SELECT "AccountId", SUM("Messages") AS "Messages" FROM "ListDailyUsage" GROUP BY "AccountId") u ON u."AccountId" = a."Id"
            WHERE COALESCE(c."Messages", 0) <> COALESCE(u."Messages", 0)
            """),
    ];

    public async Task<IReadOnlyList<LedgerDifference>> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginSnapshotAsync(connection, cancellationToken);
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
