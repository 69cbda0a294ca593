using CreditPortal.Data;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "Consumptions" (Ledger/Consumption.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class ConsumptionsTable
{
    private static void Columns(ColumnValues c, Consumption r) => c
        .Set("AccountId", r.AccountId)
        .Set("WalletId", r.WalletId)
        .Set("ListId", r.ListId)
        .Set("Channel", r.Channel)
        .Set("Quantity", r.Quantity)
        .Set("Country", r.Country)
        .Set("CreditsPerMessage", r.CreditsPerMessage)
        .Set("Credits", r.Credits)
        .Set("Status", r.Status)
        .Set("InitialStatus", r.InitialStatus)
        .Set("Reason", r.Reason)
        .Set("InitialReason", r.InitialReason)
        .Set("Reference", r.Reference)
        .Set("IdempotencyKey", r.IdempotencyKey)
        .Set("RequestHash", r.RequestHash)
        .Set("RequestedAt", r.RequestedAt)
        .Set("DecidedAt", r.DecidedAt)
        .Set("Unmetered", r.Unmetered)
        .Set("Actor", r.Actor);

    private readonly RowInsert<Consumption> _insert;
    private readonly SqlStatement _findByKey;
    private readonly SqlStatement _decide;
    private readonly SqlStatement _selectQueued;

    public ConsumptionsTable(StatementSet statements)
    {
        _insert = statements.Insert<Consumption>("Consumptions", Columns, returning: "Id");
        _findByKey = statements.Prepare("Consumptions.FindByKey", """
            SELECT "Id", "RequestHash", "InitialStatus", "InitialReason" FROM "Consumptions" WHERE "AccountId" = @account AND "IdempotencyKey" = @key
            """);
        _decide = statements.Prepare("Consumptions.Decide", """
            UPDATE "Consumptions" SET "Status" = @status, "Reason" = @reason, "DecidedAt" = @at, "Unmetered" = @unmetered WHERE "Id" = @id
            """);
        _selectQueued = statements.Prepare("Consumptions.QueuedOfAccount", $"""
            SELECT "Id", "WalletId", "ListId", "Quantity", "Credits" FROM "Consumptions"
            WHERE "AccountId" = @account AND "Status" = {StoredValues.Literal(ConsumptionStatus.Queued)} ORDER BY "Id"
            """);
    }

    /// <summary>Stores a consumption and returns its id.</summary>
    public long Insert(Consumption consumption) => _insert.InsertReturning(consumption);

    /// <summary>The first answer given for an idempotency key of the account, if there was one.</summary>
    public FirstAnswer? FindByKey(long accountId, string idempotencyKey)
    {
        using var r = _findByKey.Set("@account", accountId).Set("@key", idempotencyKey).Query();
        return r.Read()
            ? new FirstAnswer(r.Long("Id"), r.Text("RequestHash"), r.Enum<ConsumptionStatus>("InitialStatus"), r.NullableText("InitialReason"))
            : null;
    }

    /// <summary>A queued consumption is accepted (or rejected) at <paramref name="at"/>.</summary>
    public void Decide(long id, ConsumptionStatus status, string? reason, DateTimeOffset at, bool unmetered)
        => _decide.Set("@id", id).Set("@status", status).Set("@reason", reason).Set("@at", at).Set("@unmetered", unmetered).Execute();

    /// <summary>The account's queued consumptions, oldest first, per wallet.</summary>
    public List<(long WalletId, QueuedConsumption Queued)> QueuedOfAccount(long accountId)
    {
        var queued = new List<(long, QueuedConsumption)>();
        using var r = _selectQueued.Set("@account", accountId).Query();
        while (r.Read())
            queued.Add((r.Long("WalletId"), new QueuedConsumption(r.Long("Id"), r.Long("ListId"), r.Long("Quantity"), r.Long("Credits"))));
        return queued;
    }

    /// <summary>What a retry with the same idempotency key is answered: the first answer, unless the body differs.</summary>
    public sealed record FirstAnswer(long Id, string RequestHash, ConsumptionStatus Status, string? Reason);
}
