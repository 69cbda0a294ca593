namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statement on "LedgerEntries": entries are only ever added (Ledger/LedgerEntry.cs).</summary>
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
        .Set("LotId", e.LotId)
        .Set("ListId", e.ListId)
        .Set("ConsumptionId", e.ConsumptionId)
        .Set("OrderId", e.OrderId)
        .Set("Actor", e.Actor)
        .Set("Reason", e.Reason)
        .Set("Detail", e.Detail);

    private readonly RowInsert<LedgerEntry> _insert;

    public LedgerEntriesTable(StatementSet statements) => _insert = statements.Insert<LedgerEntry>("LedgerEntries", Columns);

    public void Insert(LedgerEntry entry) => _insert.Insert(entry);
}
