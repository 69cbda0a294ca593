using CreditPortal.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// A <see cref="SqlStatement"/> on SQLite. This is the only class that talks to SQLite's C API: binding by
/// precomputed position skips the per-run name lookups of Microsoft.Data.Sqlite's commands, which the writer's
/// profile showed.
/// </summary>
internal sealed class SqliteStatement : SqlStatement
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _handle;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);
    private readonly bool[] _set;
    private Dictionary<string, int>? _columns;
    private int _unset;

    public SqliteStatement(SqliteConnection connection, string name, string sql) : base(name, sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _handle, out var tail);
        if (rc != raw.SQLITE_OK)
        {
            _handle?.Dispose();
            throw Error(rc, "prepare");
        }
        if (!string.IsNullOrWhiteSpace(tail))
            throw new ArgumentException($"Statement {name} holds more than one SQL statement: {sql}", nameof(sql));
        var count = raw.sqlite3_bind_parameter_count(_handle);
        _set = new bool[count + 1];
        for (var i = 1; i <= count; i++) _parameters[raw.sqlite3_bind_parameter_name(_handle, i).utf8_to_string()] = i;
        _unset = count;
    }

    public override IReadOnlyCollection<string> ParameterNames => _parameters.Keys;

    /// <summary>SQLite knows from the compiled statement.</summary>
    public override bool Writes => raw.sqlite3_stmt_readonly(_handle) == 0;

    public override int Execute()
    {
        EnsureAllSet();
        RunBefore();
        try
        {
            while (StepRow()) { }
        }
        finally
        {
            Reset();
        }
        return raw.sqlite3_changes(_db);
    }

    public override long ExecuteInteger()
    {
        using var rows = Query();
        if (!rows.Read()) throw new InvalidOperationException($"Statement {Name} returned no row.");
        return raw.sqlite3_column_int64(_handle, 0);
    }

    public override SqlRows Query()
    {
        EnsureAllSet();
        RunBefore();
        _columns ??= ColumnIndexes();
        return new SqlRows(this);
    }

    internal override bool StepRow()
    {
        var rc = raw.sqlite3_step(_handle);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        var error = Error(rc, "run");
        Reset();
        throw error;
    }

    internal override void Reset()
    {
        raw.sqlite3_reset(_handle);
        raw.sqlite3_clear_bindings(_handle);
        Array.Clear(_set);
        _unset = _set.Length - 1;
    }

    internal override int Column(string name) => _columns!.TryGetValue(name, out var index)
        ? index
        : throw new ArgumentException($"Statement {Name} returns no column {name}.", nameof(name));

    internal override bool IsNullAt(int column) => raw.sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;

    internal override long LongAt(int column) => raw.sqlite3_column_int64(_handle, column);

    internal override bool FlagAt(int column) => StoredValues.Flag(LongAt(column));

    internal override string TextAt(int column) => raw.sqlite3_column_text(_handle, column).utf8_to_string();

    protected override void SetInteger(string name, long value) => Check(raw.sqlite3_bind_int64(_handle, Mark(name), value));

    protected override void SetText(string name, string value) => Check(raw.sqlite3_bind_text(_handle, Mark(name), value));

    protected override void SetNull(string name) => Check(raw.sqlite3_bind_null(_handle, Mark(name)));

    internal override void SetInteger(int index, long value) => Check(raw.sqlite3_bind_int64(_handle, Mark(index), value));

    internal override void SetText(int index, string value) => Check(raw.sqlite3_bind_text(_handle, Mark(index), value));

    internal override void SetNull(int index) => Check(raw.sqlite3_bind_null(_handle, Mark(index)));

    private int Mark(string name) => _parameters.TryGetValue(name, out var index)
        ? Mark(index)
        : throw new ArgumentException($"Statement {Name} has no parameter {name}.", nameof(name));

    private int Mark(int index)
    {
        if (!_set[index]) { _set[index] = true; _unset--; }
        return index;
    }

    private void EnsureAllSet()
    {
        if (_unset == 0) return;
        var missing = _parameters.Where(p => !_set[p.Value]).Select(p => p.Key);
        throw new InvalidOperationException($"Statement {Name} was run without a value for {string.Join(", ", missing)}.");
    }

    private Dictionary<string, int> ColumnIndexes()
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < raw.sqlite3_column_count(_handle); i++) columns[raw.sqlite3_column_name(_handle, i).utf8_to_string()] = i;
        return columns;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw Error(rc, "bind");
    }

    private SqliteException Error(int rc, string what)
        => new($"Statement {Name} failed to {what}: SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.\nSQL: {Sql}",
            rc, raw.sqlite3_extended_errcode(_db));

    public override void Dispose() => _handle.Dispose();
}
