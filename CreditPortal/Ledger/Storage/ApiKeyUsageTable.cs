namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "ApiKeyMonthlyUsage": per API key and local month, the credits its sends took
/// (issue #17's key cap; Ledger/ApiKeyMonthlyUsage.cs).</summary>
internal sealed class ApiKeyUsageTable
{
    private readonly DeferredSums<(long KeyId, long AccountId, string Month), long> _changes;
    private readonly SqlStatement _select;

    public ApiKeyUsageTable(StatementSet statements)
    {
        // Waits for the batch like the daily usage: one upsert per key and month, whatever the number of sends.
        var add = statements.PrepareUnhooked("ApiKeyMonthlyUsage.Add", """
            INSERT INTO "ApiKeyMonthlyUsage" ("ApiKeyId", "AccountId", "Month", "Credits") VALUES (@key, @account, @month, @credits)
            ON CONFLICT ("ApiKeyId", "Month") DO UPDATE SET "Credits" = "ApiKeyMonthlyUsage"."Credits" + excluded."Credits"
            """);
        _changes = new DeferredSums<(long, long, string), long>("ApiKeyMonthlyUsage", (a, b) => a + b, (row, credits) => add
            .Set("@key", row.Item1).Set("@account", row.Item2).Set("@month", row.Item3).Set("@credits", credits)
            .Execute());
        statements.Scope.Register(_changes);
        _select = statements.Prepare("ApiKeyMonthlyUsage.Credits", """
            SELECT COALESCE(SUM("Credits"), 0) FROM "ApiKeyMonthlyUsage" WHERE "ApiKeyId" = @key AND "Month" = @month
            """);
    }

    public void Add(long keyId, long accountId, string month, long credits) => _changes.Add((keyId, accountId, month), credits);

    /// <summary>The key's credits in the local month <paramref name="month"/> (yyyy-MM).</summary>
    public long Credits(long keyId, string month) => _select.Set("@key", keyId).Set("@month", month).ExecuteInteger();
}
