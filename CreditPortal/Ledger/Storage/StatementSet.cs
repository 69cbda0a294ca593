using System.Data.Common;
using CreditPortal.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// The statements prepared on one connection: created here, listed for the statement tests, disposed together.
/// Each one is tied to the <see cref="WriteScope"/>: a statement that writes first opens the command's savepoint,
/// and a statement on a table with deferred rows first has them written.
/// </summary>
internal sealed class StatementSet(DbConnection connection, WriteScope scope) : IDisposable
{
    private readonly List<SqlStatement> _all = [];

    public DbConnection Connection => connection;

    public SqlDialect Dialect { get; } = connection is SqliteConnection ? SqlDialect.Sqlite : SqlDialect.PostgreSql;

    public WriteScope Scope => scope;

    public IReadOnlyList<SqlStatement> All => _all;

    /// <summary>A statement of the table its name starts with (<c>Table.Operation</c>).</summary>
    /// <param name="writeDeferredFirst">Whether the table's deferred rows must be written before it runs;
    /// by default when the table has deferred rows.</param>
    public SqlStatement Prepare(string name, string sql, bool? writeDeferredFirst = null)
    {
        var statement = PrepareUnhooked(name, sql);
        var deferred = writeDeferredFirst ?? scope.IsDeferred(name[..name.IndexOf('.')]);
        statement.BeforeRun = (deferred, statement.Writes) switch
        {
            (true, true) => () => { scope.BeforeTouching(); scope.BeforeWrite(); },
            (true, false) => scope.BeforeTouching,
            (false, true) => scope.BeforeWrite,
            _ => null,
        };
        return statement;
    }

    /// <summary>A statement run as it is: transaction control, and the writing of deferred rows itself.</summary>
    public SqlStatement PrepareUnhooked(string name, string sql)
    {
        SqlStatement statement = connection switch
        {
            SqliteConnection sqlite => new SqliteStatement(sqlite, name, sql),
            NpgsqlConnection postgres => new PostgreSqlStatement(postgres, name, sql),
            _ => throw new NotSupportedException($"No ledger statements for {connection.GetType().Name}."),
        };
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
