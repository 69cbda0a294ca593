using CreditPortal.Data;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "AutoRenewAttempts" (Orders/AutoRenewAttempt.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class AutoRenewAttemptsTable
{
    private static void Columns(ColumnValues c, AutoRenewAttempt a) => c
        .Set("AccountId", a.AccountId)
        .Set("WalletId", a.WalletId)
        .Set("Channel", a.Channel)
        .Set("PackId", a.PackId)
        .Set("Plan", a.Plan)
        .Set("CycleIndex", a.CycleIndex)
        .Set("Attempt", a.Attempt)
        .Set("DueAt", a.DueAt)
        .Set("Status", a.Status)
        .Set("OrderId", a.OrderId)
        .Set("CreatedAt", a.CreatedAt);

    private readonly RowInsert<AutoRenewAttempt> _insert;
    private readonly SqlStatement _setStatus;
    private readonly SqlStatement _select;
    private readonly SqlStatement _countPending;
    private readonly SqlStatement _dueNow;

    public AutoRenewAttemptsTable(StatementSet statements)
    {
        _insert = statements.Insert<AutoRenewAttempt>("AutoRenewAttempts", Columns, returning: "Id");
        _setStatus = statements.Prepare("AutoRenewAttempts.SetStatus", """
            UPDATE "AutoRenewAttempts" SET "Status" = @status, "OrderId" = @order WHERE "Id" = @id
            """);
        _select = statements.Prepare("AutoRenewAttempts.Select", """
            SELECT "Id", "AccountId", "WalletId", "Channel", "PackId", "Plan", "CycleIndex", "Attempt", "DueAt", "Status", "OrderId", "CreatedAt"
            FROM "AutoRenewAttempts" WHERE "Id" = @id
            """);
        _countPending = statements.Prepare("AutoRenewAttempts.CountPending", $"""
            SELECT COUNT(*) FROM "AutoRenewAttempts" WHERE "WalletId" = @wallet AND "Status" = {StoredValues.Literal(AutoRenewAttemptStatus.Pending)}
              AND "Plan" IS NULL
            """);
        _dueNow = statements.Prepare("AutoRenewAttempts.DueNow", $"""
            UPDATE "AutoRenewAttempts" SET "DueAt" = @now
            WHERE "AccountId" = @account AND "Status" = {StoredValues.Literal(AutoRenewAttemptStatus.Pending)} AND "DueAt" > @now
            """);
    }

    /// <summary>Brings the account's pending attempts (retries waiting for their delay) forward to <paramref name="now"/>; how many.</summary>
    public int DueNow(long accountId, DateTimeOffset now) => _dueNow.Set("@account", accountId).Set("@now", now).Execute();

    public long Insert(AutoRenewAttempt attempt) => _insert.InsertReturning(attempt);

    public void SetStatus(long attemptId, AutoRenewAttemptStatus status, long? orderId)
        => _setStatus.Set("@id", attemptId).Set("@status", status).Set("@order", orderId).Execute();

    public AutoRenewAttempt? Find(long attemptId)
    {
        using var r = _select.Set("@id", attemptId).Query();
        if (!r.Read()) return null;
        return new AutoRenewAttempt
        {
            Id = r.Long("Id"), AccountId = r.Long("AccountId"), WalletId = r.Long("WalletId"), Channel = r.Enum<Channel>("Channel"),
            PackId = r.Text("PackId"), Plan = r.NullableEnum<Plan>("Plan"), CycleIndex = r.NullableInt("CycleIndex"), Attempt = r.Int("Attempt"), DueAt = r.Instant("DueAt"), Status = r.Enum<AutoRenewAttemptStatus>("Status"),
            OrderId = r.NullableLong("OrderId"), CreatedAt = r.Instant("CreatedAt"),
        };
    }

    public bool AnyPending(long walletId) => _countPending.Set("@wallet", walletId).ExecuteInteger() > 0;
}
