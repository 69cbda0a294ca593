using System.Text;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// <c>UPDATE "Table" SET "A" = @p1, "B" = @p2, ... WHERE "Id" = @id</c>: saves every column of a row, generated
/// from the same <see cref="RowColumns{TRow}"/> as its INSERT (columns that never change are written unchanged).
/// </summary>
internal sealed class RowUpdate<TRow>
{
    private readonly SqlStatement _statement;
    private readonly RowColumns<TRow> _columns;
    private readonly ColumnValues _binder;
    private readonly Func<TRow, long> _id;
    private readonly int _idParameter;

    public RowUpdate(StatementSet statements, string table, RowColumns<TRow> columns, Func<TRow, long> id)
    {
        _columns = columns;
        _id = id;
        var names = ColumnValues.NamesOf(columns);
        var sql = new StringBuilder($"UPDATE \"{table}\" SET ");
        for (var i = 0; i < names.Count; i++) sql.Append(i == 0 ? "" : ", ").Append($"\"{names[i]}\" = @p{i + 1}");
        _idParameter = names.Count + 1;
        sql.Append($" WHERE \"Id\" = @p{_idParameter}");
        _statement = statements.Prepare($"{table}.Update", sql.ToString());
        _binder = ColumnValues.Binder(_statement, names);
    }

    public void Update(TRow row)
    {
        _columns(_binder.At(1), row);
        _statement.SetInteger(_idParameter, _id(row));
        if (_statement.Execute() != 1) throw new InvalidOperationException($"{_statement.Name}: no row {_id(row)}.");
    }
}
