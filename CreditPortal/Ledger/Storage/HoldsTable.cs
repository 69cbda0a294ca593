using CreditPortal.Data;

namespace CreditPortal.Ledger.Storage;

/// <summary>Issue #17: the writer's statements on "Holds" (Ledger/Hold.cs, Data/LedgerConfigurations.cs). Holds are rare next to
/// sends, so their rows are written at once, not deferred to the batch's end.</summary>
internal sealed class HoldsTable
{
    private static void Columns(ColumnValues c, Hold h) => c
        .Set("AccountId", h.AccountId)
        .Set("WalletId", h.WalletId)
        .Set("ListId", h.ListId)
        .Set("Channel", h.Channel)
        .Set("Quantity", h.Quantity)
        .Set("Country", h.Country)
        .Set("CreditsPerMessage", h.CreditsPerMessage)
        .Set("Credits", h.Credits)
        .Set("Held", h.Held)
        .Set("FromAssignment", h.FromAssignment)
        .Set("Status", h.Status)
        .Set("CreatedAt", h.CreatedAt)
        .Set("ExpiresAt", h.ExpiresAt)
        .Set("EndedAt", h.EndedAt)
        .Set("CapturedQuantity", h.CapturedQuantity)
        .Set("ConsumptionId", h.ConsumptionId)
        .Set("Reference", h.Reference)
        .Set("IdempotencyKey", h.IdempotencyKey)
        .Set("RequestHash", h.RequestHash)
        .Set("Actor", h.Actor)
        .Set("EndedBy", h.EndedBy);

    private const string SelectColumns = """
        "Id", "AccountId", "WalletId", "ListId", "Channel", "Quantity", "Country", "CreditsPerMessage", "Credits", "Held", "FromAssignment", "Status",
        "CreatedAt", "ExpiresAt", "EndedAt", "CapturedQuantity", "ConsumptionId", "Reference", "IdempotencyKey", "RequestHash", "Actor", "EndedBy"
        """;

    private readonly RowInsert<Hold> _insert;
    private readonly SqlStatement _end;
    private readonly SqlStatement _setHeld;
    private readonly SqlStatement _find;
    private readonly SqlStatement _findByKey;
    private readonly SqlStatement _activeOfAccount;
    private readonly SqlStatement _parts;

    public HoldsTable(StatementSet statements)
    {
        _insert = statements.Insert<Hold>("Holds", Columns, returning: "Id");
        _end = statements.Prepare("Holds.End", """
            UPDATE "Holds" SET "Status" = @status, "Held" = 0, "EndedAt" = @endedAt, "CapturedQuantity" = @captured, "ConsumptionId" = @consumption,
              "EndedBy" = @endedBy
            WHERE "Id" = @id
            """);
        _setHeld = statements.Prepare("Holds.SetHeld", """UPDATE "Holds" SET "Held" = @held WHERE "Id" = @id""");
        _find = statements.Prepare("Holds.Find", $"""SELECT {SelectColumns} FROM "Holds" WHERE "AccountId" = @account AND "Id" = @id""");
        _findByKey = statements.Prepare("Holds.FindByKey", $"""
            SELECT {SelectColumns} FROM "Holds" WHERE "AccountId" = @account AND "IdempotencyKey" = @key
            """);
        _activeOfAccount = statements.Prepare("Holds.ActiveOfAccount", $"""
            SELECT {SelectColumns} FROM "Holds" WHERE "AccountId" = @account AND "Status" = {StoredValues.Literal(HoldStatus.Active)} ORDER BY "Id"
            """);
        // What each active hold holds of each lot, from the entries (IX_LedgerEntries_Hold). Named for LedgerEntries, so the
        // batch's waiting entries are written first.
        _parts = statements.Prepare("LedgerEntries.HeldParts", $"""
            SELECT "HoldId", "LotId", SUM("HeldDelta") AS "Held" FROM "LedgerEntries"
            WHERE "HoldId" IN (SELECT "Id" FROM "Holds" WHERE "AccountId" = @account AND "Status" = {StoredValues.Literal(HoldStatus.Active)})
              AND "LotId" IS NOT NULL
            GROUP BY "HoldId", "LotId"
            HAVING SUM("HeldDelta") <> 0
            """);
    }

    public long Insert(Hold hold) => _insert.InsertReturning(hold);

    public void End(long holdId, HoldStatus status, DateTimeOffset endedAt, long? capturedQuantity, long? consumptionId, string endedBy)
        => _end.Set("@id", holdId).Set("@status", status).Set("@endedAt", endedAt).Set("@captured", capturedQuantity).Set("@consumption", consumptionId)
            .Set("@endedBy", endedBy).Execute();

    public void SetHeld(long holdId, long held) => _setHeld.Set("@id", holdId).Set("@held", held).Execute();

    public Hold? Find(long accountId, long holdId) => ReadOne(_find.Set("@account", accountId).Set("@id", holdId));

    public Hold? FindByKey(long accountId, string idempotencyKey) => ReadOne(_findByKey.Set("@account", accountId).Set("@key", idempotencyKey));

    public List<Hold> ActiveOfAccount(long accountId)
    {
        var holds = new List<Hold>();
        using var r = _activeOfAccount.Set("@account", accountId).Query();
        while (r.Read()) holds.Add(Read(r));
        return holds;
    }

    /// <summary>(hold, lot, credits held) for every active hold of the account.</summary>
    public List<(long HoldId, long LotId, long Held)> PartsOfAccount(long accountId)
    {
        var parts = new List<(long, long, long)>();
        using var r = _parts.Set("@account", accountId).Query();
        while (r.Read()) parts.Add((r.Long("HoldId"), r.Long("LotId"), r.Long("Held")));
        return parts;
    }

    private static Hold? ReadOne(SqlStatement select)
    {
        using var r = select.Query();
        return r.Read() ? Read(r) : null;
    }

    private static Hold Read(SqlRows r) => new()
    {
        Id = r.Long("Id"), AccountId = r.Long("AccountId"), WalletId = r.Long("WalletId"), ListId = r.Long("ListId"), Channel = r.Enum<Channel>("Channel"),
        Quantity = r.Long("Quantity"), Country = r.NullableText("Country"), CreditsPerMessage = r.Int("CreditsPerMessage"), Credits = r.Long("Credits"),
        Held = r.Long("Held"), FromAssignment = r.Flag("FromAssignment"), Status = r.Enum<HoldStatus>("Status"), CreatedAt = r.Instant("CreatedAt"),
        ExpiresAt = r.Instant("ExpiresAt"), EndedAt = r.NullableInstant("EndedAt"), CapturedQuantity = r.NullableLong("CapturedQuantity"),
        ConsumptionId = r.NullableLong("ConsumptionId"), Reference = r.NullableText("Reference"), IdempotencyKey = r.Text("IdempotencyKey"),
        RequestHash = r.Text("RequestHash"), Actor = r.Text("Actor"), EndedBy = r.NullableText("EndedBy"),
    };
}
