using System.Text;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// Rows of one table waiting for the batch, then inserted up to <see cref="RowsPerStatement"/> per statement
/// (<c>INSERT INTO "T" (...) VALUES (...), (...), ...</c>, which reads the same in PostgreSQL). The columns come
/// from the row type's <see cref="RowColumns{TRow}"/>, as for a single-row insert.
/// </summary>
internal sealed class DeferredInsert<TRow> : IDeferredRows
{
    public const int RowsPerStatement = 64;

    private readonly StatementSet _statements;
    private readonly RowColumns<TRow> _columns;
    private readonly List<TRow> _rows = [];
    private readonly (SqlStatement Statement, ColumnValues Binder)?[] _byRowCount = new (SqlStatement, ColumnValues)?[RowsPerStatement + 1];

    public DeferredInsert(StatementSet statements, string table, RowColumns<TRow> columns)
    {
        _statements = statements;
        _columns = columns;
        Table = table;
        Columns = ColumnValues.NamesOf(columns);
        Statement(1); // prepared at once, so the statement tests see the table's insert
    }

    public string Table { get; }

    public IReadOnlyList<string> Columns { get; }

    public int Pending => _rows.Count;

    public TRow this[int index] => _rows[index];

    public void Add(TRow row) => _rows.Add(row);

    public void Write(int count)
    {
        for (var start = 0; start < count;)
        {
            var rows = Math.Min(RowsPerStatement, count - start);
            var (statement, binder) = Statement(rows);
            for (var r = 0; r < rows; r++) _columns(binder.At(1 + r * Columns.Count), _rows[start + r]);
            statement.Execute();
            start += rows;
        }
        _rows.RemoveRange(0, count);
    }

    public void Forget(int index) => _rows.RemoveRange(index, _rows.Count - index);

    private (SqlStatement Statement, ColumnValues Binder) Statement(int rows)
    {
        if (_byRowCount[rows] is { } prepared) return prepared;
        var sql = new StringBuilder($"INSERT INTO \"{Table}\" (").AppendJoin(", ", Columns.Select(c => $"\"{c}\"")).Append(") VALUES ");
        for (var r = 0; r < rows; r++) sql.Append(r == 0 ? "" : ", ").Append(RowInsert<TRow>.Placeholders(Columns.Count, r * Columns.Count));
        var statement = _statements.PrepareUnhooked(rows == 1 ? $"{Table}.Insert" : $"{Table}.Insert{rows}", sql.ToString());
        var made = (statement, ColumnValues.Binder(statement, Columns));
        _byRowCount[rows] = made;
        return made;
    }
}
