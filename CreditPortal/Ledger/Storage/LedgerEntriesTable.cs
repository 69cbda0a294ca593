namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statement on "LedgerEntries": entries are only ever added (Ledger/LedgerEntry.cs). They wait
/// for the batch and are inserted many per statement.</summary>
internal sealed class LedgerEntriesTable
{
    private static void Columns(ColumnValues c, LedgerEntry e) => c
        .Set("AccountId", e.AccountId)
        .Set("WalletId", e.WalletId)
        .Set("Channel", e.Channel)
        .Set("At", e.At)
        .Set("Kind", e.Kind)
        .Set("Quantity", e.Quantity)
        .Set("AssignedDelta", e.AssignedDelta)
        .Set("HeldDelta", e.HeldDelta)
        .Set("HoldId", e.HoldId)
        .Set("LotId", e.LotId)
        .Set("ListId", e.ListId)
        .Set("ConsumptionId", e.ConsumptionId)
        .Set("OrderId", e.OrderId)
        .Set("Actor", e.Actor)
        .Set("Reason", e.Reason)
        .Set("Detail", e.Detail);

    private readonly DeferredInsert<LedgerEntry> _new;

    public LedgerEntriesTable(StatementSet statements)
    {
        _new = new DeferredInsert<LedgerEntry>(statements, "LedgerEntries", Columns);
        statements.Scope.Register(_new);
    }

    public void Insert(LedgerEntry entry) => _new.Add(entry);
}
