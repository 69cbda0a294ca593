using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "Lots" (Ledger/Lot.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class LotsTable
{
    private static void Columns(ColumnValues c, Lot l) => c
        .Set("AccountId", l.AccountId)
        .Set("WalletId", l.WalletId)
        .Set("Channel", l.Channel)
        .Set("Kind", l.Kind)
        .Set("Quantity", l.Quantity)
        .Set("Remaining", l.Remaining)
        .Set("ExpiresAt", l.ExpiresAt)
        .Set("ExpiredAt", l.ExpiredAt)
        .Set("CreatedAt", l.CreatedAt)
        .Set("Source", l.Source)
        .Set("OrderId", l.OrderId)
        .Set("RemindedDaysBefore", (long?)l.RemindedDaysBefore)
        .Set("Held", l.Held);

    private readonly RowInsert<Lot> _insert;
    private readonly DeferredSums<long, long> _draws;
    private readonly SqlStatement _markExpired;
    private readonly SqlStatement _setExpiry;
    private readonly SqlStatement _setReminded;
    private readonly SqlStatement _selectActive;
    private readonly SqlStatement _findBySource;
    private readonly SqlStatement _moveToHeld;
    private readonly SqlStatement _spendHeld;
    private readonly SqlStatement _selectHeld;

    public LotsTable(StatementSet statements)
    {
        // Draws wait for the batch: one UPDATE per lot drawn from, whatever the number of sends. CK_Lots_Remaining
        // refuses a remaining below zero: a bug that would overdraw fails the batch instead of storing it.
        var draw = statements.PrepareUnhooked("Lots.Draw", """UPDATE "Lots" SET "Remaining" = "Remaining" - @quantity WHERE "Id" = @id""");
        _draws = new DeferredSums<long, long>("Lots", (a, b) => a + b, (id, quantity) => draw.Set("@id", id).Set("@quantity", quantity).Execute());
        statements.Scope.Register(_draws);
        _insert = statements.Insert<Lot>("Lots", Columns, returning: "Id");
        _markExpired = statements.Prepare("Lots.MarkExpired", """UPDATE "Lots" SET "ExpiredAt" = @at WHERE "Id" = @id""");
        _setExpiry = statements.Prepare("Lots.SetExpiry", """UPDATE "Lots" SET "ExpiresAt" = @expiresAt, "RemindedDaysBefore" = @reminded WHERE "Id" = @id""");
        _setReminded = statements.Prepare("Lots.SetReminded", """UPDATE "Lots" SET "RemindedDaysBefore" = @reminded WHERE "Id" = @id""");
        _selectActive = statements.Prepare("Lots.ActiveOfAccount", """
            SELECT "Id", "WalletId", "Kind", "Quantity", "Remaining", "ExpiresAt", "CreatedAt", "RemindedDaysBefore"
            FROM "Lots" WHERE "AccountId" = @account AND "ExpiredAt" IS NULL AND "Remaining" > 0
            """);
        _findBySource = statements.Prepare("Lots.FindBySource", """
            SELECT "Id", "Channel", "Quantity", "ExpiresAt" FROM "Lots"
            WHERE "AccountId" = @account AND "Kind" = @kind AND "Source" = @source ORDER BY "Id" LIMIT 1
            """);
        // Issue #17: both columns in one statement, so CK_Lots_Held (Remaining + Held <= Quantity) holds after it. Positive: into
        // a hold; negative: released back. The lot's deferred draws are written first (a statement on "Lots").
        _moveToHeld = statements.Prepare("Lots.MoveToHeld", """
            UPDATE "Lots" SET "Remaining" = "Remaining" - @quantity, "Held" = "Held" + @quantity WHERE "Id" = @id
            """);
        _spendHeld = statements.Prepare("Lots.SpendHeld", """UPDATE "Lots" SET "Held" = "Held" - @quantity WHERE "Id" = @id""");
        _selectHeld = statements.Prepare("Lots.HeldOfAccount", """
            SELECT "Id", "WalletId", "Kind", "Quantity", "Remaining", "ExpiresAt", "CreatedAt", "RemindedDaysBefore"
            FROM "Lots" WHERE "AccountId" = @account AND "Held" > 0
            """);
    }

    /// <summary>Issue #17: <paramref name="quantity"/> credits of the lot move from its remaining into holds (negative: back).</summary>
    public void MoveToHeld(long lotId, long quantity) => _moveToHeld.Set("@id", lotId).Set("@quantity", quantity).Execute();

    /// <summary>Issue #17: held credits leave the lot (captured, or released after the lot's end and expired at once).</summary>
    public void SpendHeld(long lotId, long quantity) => _spendHeld.Set("@id", lotId).Set("@quantity", quantity).Execute();

    /// <summary>Issue #17: the account's lots that hold credits for holds (whatever their remaining or expiry).</summary>
    public List<LotState> HeldOfAccount(long accountId) => ReadLots(_selectHeld.Set("@account", accountId));

    public long Insert(Lot lot) => _insert.InsertReturning(lot);

    /// <summary>The account's first lot of <paramref name="kind"/> with this source (support adjustments keyed by the caller).</summary>
    public (long Id, Channel Channel, long Quantity, DateTimeOffset? ExpiresAt)? FindBySource(long accountId, LotKind kind, string source)
    {
        using var r = _findBySource.Set("@account", accountId).Set("@kind", kind).Set("@source", source).Query();
        return r.Read() ? (r.Long("Id"), r.Enum<Channel>("Channel"), r.Long("Quantity"), r.NullableInstant("ExpiresAt")) : null;
    }

    public void Draw(long lotId, long quantity) => _draws.Add(lotId, quantity);

    public void MarkExpired(long lotId, DateTimeOffset at) => _markExpired.Set("@id", lotId).Set("@at", at).Execute();

    /// <param name="remindedDaysBefore">The expiry reminders already behind the new expiry (issue #17).</param>
    public void SetExpiry(long lotId, DateTimeOffset expiresAt, int? remindedDaysBefore)
        => _setExpiry.Set("@id", lotId).Set("@expiresAt", expiresAt).Set("@reminded", (long?)remindedDaysBefore).Execute();

    /// <summary>Issue #17: the nearest expiry reminder now sent or passed.</summary>
    public void SetReminded(long lotId, int remindedDaysBefore) => _setReminded.Set("@id", lotId).Set("@reminded", remindedDaysBefore).Execute();

    /// <summary>The account's lots that still hold credits and have not expired.</summary>
    public List<LotState> ActiveOfAccount(long accountId)
    {
        return ReadLots(_selectActive.Set("@account", accountId));
    }

    private static List<LotState> ReadLots(SqlStatement select)
    {
        var lots = new List<LotState>();
        using var r = select.Query();
        while (r.Read())
        {
            lots.Add(new LotState
            {
                Id = r.Long("Id"), WalletId = r.Long("WalletId"), Kind = r.Enum<LotKind>("Kind"), Quantity = r.Long("Quantity"),
                Remaining = r.Long("Remaining"), ExpiresAt = r.NullableInstant("ExpiresAt"), CreatedAt = r.Instant("CreatedAt"),
                RemindedDaysBefore = r.NullableInt("RemindedDaysBefore"),
            });
        }
        return lots;
    }
}
