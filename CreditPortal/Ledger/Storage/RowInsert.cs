using System.Text;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// <c>INSERT INTO "Table" ("A", "B", ...) VALUES (@p1, @p2, ...)</c>, generated from a row type's
/// <see cref="RowColumns{TRow}"/>. Quoted identifiers and named parameters read the same in SQLite and PostgreSQL.
/// </summary>
internal sealed class RowInsert<TRow>
{
    private readonly SqlStatement _statement;
    private readonly RowColumns<TRow> _columns;
    private readonly ColumnValues _binder;

    public RowInsert(StatementSet statements, string table, RowColumns<TRow> columns, string? returning)
    {
        _columns = columns;
        Columns = ColumnValues.NamesOf(columns);
        var sql = new StringBuilder($"INSERT INTO \"{table}\" (")
            .AppendJoin(", ", Columns.Select(c => $"\"{c}\""))
            .Append(") VALUES ")
            .Append(Placeholders(Columns.Count, 0))
            .Append(returning is null ? "" : $" RETURNING \"{returning}\"");
        _statement = statements.Prepare($"{table}.Insert", sql.ToString());
        _binder = ColumnValues.Binder(_statement, Columns);
        Table = table;
    }

    public string Table { get; }

    public IReadOnlyList<string> Columns { get; }

    public void Insert(TRow row)
    {
        _columns(_binder.At(1), row);
        _statement.Execute();
    }

    /// <summary>Inserts the row and returns the value of the RETURNING column (the new id).</summary>
    public long InsertReturning(TRow row)
    {
        _columns(_binder.At(1), row);
        return _statement.ExecuteInteger();
    }

    /// <summary><c>(@p1, @p2, ...)</c> for one row whose first parameter follows <paramref name="before"/> others.</summary>
    public static string Placeholders(int columns, int before)
    {
        var text = new StringBuilder("(");
        for (var i = 1; i <= columns; i++) text.Append(i == 1 ? "" : ", ").Append("@p").Append(before + i);
        return text.Append(')').ToString();
    }
}
