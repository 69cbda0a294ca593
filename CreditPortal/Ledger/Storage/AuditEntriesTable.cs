using CreditPortal.Audit;

namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statement on "AuditEntries": append-only, written in the same transaction as the change
/// it describes (Audit/AuditEntry.cs).</summary>
internal sealed class AuditEntriesTable
{
    private static void Columns(ColumnValues c, AuditEntry a) => c
        .Set("AccountId", a.AccountId)
        .Set("At", a.At)
        .Set("Actor", a.Actor)
        .Set("Action", a.Action)
        .Set("Before", a.Before)
        .Set("After", a.After)
        .Set("Reason", a.Reason);

    private readonly RowInsert<AuditEntry> _insert;

    public AuditEntriesTable(StatementSet statements) => _insert = statements.Insert<AuditEntry>("AuditEntries", Columns);

    public void Insert(AuditEntry entry) => _insert.Insert(entry);
}
