using CreditPortal.Data;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// The writer's statements on "Consumptions" (Ledger/Consumption.cs, Data/LedgerConfigurations.cs). New consumptions
/// wait for the batch and are inserted many per statement; their ids are given here. On SQLite they follow the
/// table's largest, since the one writer is the only code that inserts consumptions. On PostgreSQL several instances'
/// writers insert them, so ids come from the table's sequence, <see cref="IdsPerDraw"/> per round trip (an id drawn
/// and not used leaves a gap, as any sequence does).
/// </summary>
internal sealed class ConsumptionsTable : IDeferredRows
{
    private static void Columns(ColumnValues c, Consumption r) => c
        .Set("Id", r.Id)
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

    private readonly DeferredInsert<Consumption> _new;
    private readonly Dictionary<(long AccountId, string Key), Consumption> _newByKey = [];
    /// <summary>Ids taken from PostgreSQL's sequence at once.</summary>
    public const int IdsPerDraw = 64;

    private readonly SqlStatement _largestId;
    private readonly bool _fromSequence;
    private readonly Queue<long> _drawnIds = new();
    private long? _nextId;
    private readonly SqlStatement _findByKey;
    private readonly SqlStatement _decide;
    private readonly SqlStatement _selectQueued;

    public ConsumptionsTable(StatementSet statements)
    {
        statements.Scope.Register(this);
        _new = new DeferredInsert<Consumption>(statements, Table, Columns);
        // Waiting consumptions are looked up in memory first: these two need not have them written.
        _fromSequence = !statements.Dialect.IsSqlite;
        _largestId = _fromSequence
            ? statements.Prepare("Consumptions.NextIds", $"""
                SELECT nextval(pg_get_serial_sequence('"Consumptions"', 'Id')) AS "Id" FROM generate_series(1, {IdsPerDraw}) ORDER BY 1
                """, writeDeferredFirst: false)
            : statements.Prepare("Consumptions.LargestId", """SELECT COALESCE(MAX("Id"), 0) FROM "Consumptions" """,
                writeDeferredFirst: false);
        _findByKey = statements.Prepare("Consumptions.FindByKey", """
            SELECT "Id", "RequestHash", "InitialStatus", "InitialReason" FROM "Consumptions" WHERE "AccountId" = @account AND "IdempotencyKey" = @key
            """, writeDeferredFirst: false);
        _decide = statements.Prepare("Consumptions.Decide", """
            UPDATE "Consumptions" SET "Status" = @status, "Reason" = @reason, "DecidedAt" = @at, "Unmetered" = @unmetered WHERE "Id" = @id
            """);
        // Through the partial index IX_Consumptions_Queued (by wallet, queued rows only), never the account's sends.
        _selectQueued = statements.Prepare("Consumptions.QueuedOfAccount", $"""
            SELECT "Id", "WalletId", "ListId", "Quantity", "Credits" FROM "Consumptions"
            WHERE "WalletId" IN (SELECT "Id" FROM "Wallets" WHERE "AccountId" = @account)
              AND "Status" = {StoredValues.Literal(ConsumptionStatus.Queued)}
            ORDER BY "Id"
            """);
    }

    public string Table => "Consumptions";

    public int Pending => _new.Pending;

    /// <summary>Gives the consumption its id and stores it with the batch.</summary>
    public long Insert(Consumption consumption)
    {
        consumption.Id = _fromSequence ? NextFromSequence() : NextAfterLargest();
        _new.Add(consumption);
        _newByKey[(consumption.AccountId, consumption.IdempotencyKey)] = consumption;
        return consumption.Id;
    }

    private long NextAfterLargest()
    {
        _nextId ??= _largestId.ExecuteInteger() + 1;
        return _nextId++.Value;
    }

    private long NextFromSequence()
    {
        if (_drawnIds.Count == 0)
        {
            using var r = _largestId.Query();
            while (r.Read()) _drawnIds.Enqueue(r.Long("Id"));
        }
        return _drawnIds.Dequeue();
    }

    public void Write(int count)
    {
        for (var i = 0; i < count; i++) _newByKey.Remove((_new[i].AccountId, _new[i].IdempotencyKey));
        _new.Write(count);
    }

    public void Forget(int index)
    {
        for (var i = index; i < _new.Pending; i++) _newByKey.Remove((_new[i].AccountId, _new[i].IdempotencyKey));
        // Ids follow on from the last consumption kept; with none waiting, from what the table holds.
        _nextId = index > 0 ? _new[index - 1].Id + 1 : null;
        _new.Forget(index);
    }

    /// <summary>The first answer given for an idempotency key of the account, if there was one.</summary>
    public FirstAnswer? FindByKey(long accountId, string idempotencyKey)
    {
        if (_newByKey.TryGetValue((accountId, idempotencyKey), out var waiting))
            return new FirstAnswer(waiting.Id, waiting.RequestHash, waiting.InitialStatus, waiting.InitialReason);
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
