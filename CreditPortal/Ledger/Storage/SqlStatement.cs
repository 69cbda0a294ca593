namespace CreditPortal.Ledger.Storage;

/// <summary>
/// One SQL statement of the ledger writer, prepared once on the writer's connection and run many times, on SQLite
/// (<see cref="SqliteStatement"/>) or PostgreSQL (<see cref="PostgreSqlStatement"/>). Parameters are named
/// (<c>@name</c>) and set by name; every one must be set before each run, so a forgotten value fails instead of
/// silently reusing the last one.
/// </summary>
internal abstract class SqlStatement : StoredValueWriter<SqlStatement>, IDisposable
{
    protected SqlStatement(string name, string sql)
    {
        Name = name;
        Sql = sql;
    }

    /// <summary>Where the statement comes from (<c>Table.Operation</c>), for error messages.</summary>
    public string Name { get; }

    public string Sql { get; }

    public abstract IReadOnlyCollection<string> ParameterNames { get; }

    /// <summary>Whether the statement changes the database.</summary>
    public abstract bool Writes { get; }

    /// <summary>Runs before each run of the statement (see <see cref="StatementSet.Prepare"/>).</summary>
    public Action? BeforeRun { get; set; }

    /// <summary>Runs a statement that returns no rows; returns how many rows it changed.</summary>
    public abstract int Execute();

    /// <summary>Runs a statement that returns one integer (RETURNING "Id", COUNT(*)) and returns it.</summary>
    public abstract long ExecuteInteger();

    /// <summary>Runs a query; dispose the rows to make the statement reusable.</summary>
    public abstract SqlRows Query();

    protected void RunBefore()
    {
        if (BeforeRun is null) return;
        try
        {
            BeforeRun();
        }
        catch
        {
            Reset();
            throw;
        }
    }

    internal abstract bool StepRow();

    internal abstract void Reset();

    internal abstract int Column(string name);

    internal abstract bool IsNullAt(int column);

    internal abstract long LongAt(int column);

    internal abstract bool FlagAt(int column);

    internal abstract string TextAt(int column);

    /// <summary>For generated statements whose parameters are numbered in order (multi-row inserts).</summary>
    internal abstract void SetInteger(int index, long value);

    internal abstract void SetText(int index, string value);

    internal abstract void SetNull(int index);

    /// <summary>A flag: 0 or 1 in SQLite, a boolean in PostgreSQL.</summary>
    internal virtual void SetFlag(int index, bool value) => SetInteger(index, CreditPortal.Data.StoredValues.Flag(value));

    public abstract void Dispose();
}
