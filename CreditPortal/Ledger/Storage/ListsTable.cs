namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "Lists" (Ledger/CreditList.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class ListsTable
{
    private static void Columns(ColumnValues c, CreditList l) => c
        .Set("AccountId", l.AccountId)
        .Set("Name", l.Name)
        .Set("CreatedAt", l.CreatedAt);

    private readonly RowInsert<CreditList> _insert;
    private readonly SqlStatement _rename;
    private readonly SqlStatement _selectOfAccount;

    public ListsTable(StatementSet statements)
    {
        _insert = statements.Insert<CreditList>("Lists", Columns, returning: "Id");
        _rename = statements.Prepare("Lists.Rename", """UPDATE "Lists" SET "Name" = @name WHERE "Id" = @id""");
        _selectOfAccount = statements.Prepare("Lists.NamesOfAccount", """SELECT "Id", "Name" FROM "Lists" WHERE "AccountId" = @account""");
    }

    public long Insert(CreditList list) => _insert.InsertReturning(list);

    public void Rename(long listId, string name) => _rename.Set("@id", listId).Set("@name", name).Execute();

    public void ReadNames(long accountId, Dictionary<long, string> names)
    {
        using var r = _selectOfAccount.Set("@account", accountId).Query();
        while (r.Read()) names[r.Long("Id")] = r.Text("Name");
    }
}
