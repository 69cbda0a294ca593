using Microsoft.Data.Sqlite;

namespace CreditPortal.Ledger.Storage;

/// <summary>The statements prepared on one connection: created here, listed for the statement tests, disposed together.</summary>
internal sealed class StatementSet(SqliteConnection connection) : IDisposable
{
    private readonly List<SqlStatement> _all = [];

    public SqliteConnection Connection => connection;

    public IReadOnlyList<SqlStatement> All => _all;

    public SqlStatement Prepare(string name, string sql)
    {
        var statement = new SqlStatement(connection, name, sql);
        _all.Add(statement);
        return statement;
    }

    /// <summary>An INSERT of one row, generated from the row type's columns.</summary>
    public RowInsert<TRow> Insert<TRow>(string table, RowColumns<TRow> columns, string? returning = null)
        => new(this, table, columns, returning);

    /// <summary>An UPDATE of every column of one row by its id, generated from the row type's columns.</summary>
    public RowUpdate<TRow> Update<TRow>(string table, RowColumns<TRow> columns, Func<TRow, long> id)
        => new(this, table, columns, id);

    public void Dispose()
    {
        foreach (var statement in _all) statement.Dispose();
        _all.Clear();
    }
}
