using CreditPortal.Data;
using Npgsql;
using NpgsqlTypes;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// A <see cref="SqlStatement"/> on PostgreSQL. On creation the statement is PREPAREd once by the server, which checks
/// it against the schema (as SQLite's prepare does) and says which type each parameter has; the command then sends
/// every value with that type, so a null is typed too, and Npgsql keeps it prepared on the writer's connection.
/// </summary>
internal sealed class PostgreSqlStatement : SqlStatement
{
    private static readonly string[] ReadOnlyStarts = ["SELECT", "WITH", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"];

    private readonly NpgsqlCommand _command;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);
    private readonly string[] _types;
    private readonly bool[] _set;
    private int _unset;
    private NpgsqlDataReader? _reader;
    private Dictionary<string, int>? _columns;

    public PostgreSqlStatement(NpgsqlConnection connection, string name, string sql) : base(name, sql)
    {
        var (text, names) = PositionalSql.From(sql);
        for (var i = 0; i < names.Count; i++) _parameters[names[i]] = i + 1;
        _types = Describe(connection, name, sql, text, names.Count);
        _command = new NpgsqlCommand(text, connection);
        foreach (var type in _types) _command.Parameters.Add(new NpgsqlParameter { DataTypeName = type, Value = DBNull.Value });
        _set = new bool[names.Count + 1];
        _unset = names.Count;
        var first = sql.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
        Writes = !ReadOnlyStarts.Contains(first) || sql.Contains("FOR UPDATE", StringComparison.OrdinalIgnoreCase);
    }

    public override IReadOnlyCollection<string> ParameterNames => _parameters.Keys;

    public override bool Writes { get; }

    /// <summary>PREPAREs the statement on the server (which fails on a missing column, naming it) and returns the type of each
    /// parameter as the server inferred it. Transaction control cannot be PREPAREd and has no parameters.</summary>
    private static string[] Describe(NpgsqlConnection connection, string name, string sql, string text, int parameters)
    {
        var first = sql.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
        if (first is "BEGIN" or "COMMIT" or "ROLLBACK" or "SAVEPOINT" or "RELEASE") return [];
        try
        {
            using (var prepare = new NpgsqlCommand($"PREPARE creditportal_describe AS {text}", connection)) prepare.ExecuteNonQuery();
            try
            {
                using var types = new NpgsqlCommand(
                    "SELECT COALESCE(parameter_types::text[], '{}') FROM pg_prepared_statements WHERE name = 'creditportal_describe'", connection);
                var found = (string[])types.ExecuteScalar()!;
                if (found.Length != parameters) throw new InvalidOperationException($"Statement {name}: {found.Length} parameter types for {parameters} parameters.");
                return found;
            }
            finally
            {
                using var deallocate = new NpgsqlCommand("DEALLOCATE creditportal_describe", connection);
                deallocate.ExecuteNonQuery();
            }
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException($"Statement {name} failed to prepare: {e.MessageText}.\nSQL: {sql}", e);
        }
    }

    public override int Execute()
    {
        EnsureAllSet();
        RunBefore();
        try
        {
            return _command.ExecuteNonQuery();
        }
        finally
        {
            Reset();
        }
    }

    public override long ExecuteInteger()
    {
        using var rows = Query();
        if (!rows.Read()) throw new InvalidOperationException($"Statement {Name} returned no row.");
        return LongAt(0);
    }

    public override SqlRows Query()
    {
        EnsureAllSet();
        RunBefore();
        try
        {
            _reader = _command.ExecuteReader();
        }
        catch
        {
            Reset();
            throw;
        }
        if (_columns is null)
        {
            _columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < _reader.FieldCount; i++) _columns[_reader.GetName(i)] = i;
        }
        return new SqlRows(this);
    }

    internal override bool StepRow() => _reader!.Read();

    internal override void Reset()
    {
        if (_reader is not null)
        {
            _reader.Dispose();
            _reader = null;
        }
        Array.Clear(_set);
        _unset = _set.Length - 1;
    }

    internal override int Column(string name) => _columns!.TryGetValue(name, out var index)
        ? index
        : throw new ArgumentException($"Statement {Name} returns no column {name}.", nameof(name));

    internal override bool IsNullAt(int column) => _reader!.IsDBNull(column);

    internal override long LongAt(int column) => _reader!.GetFieldValue<object>(column) switch
    {
        long l => l,
        int i => i,
        short s => s,
        bool b => StoredValues.Flag(b),
        var other => Convert.ToInt64(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    internal override bool FlagAt(int column) => _reader!.GetBoolean(column);

    internal override string TextAt(int column) => _reader!.GetString(column);

    protected override void SetInteger(string name, long value) => SetInteger(Index(name), value);

    protected override void SetText(string name, string value) => SetText(Index(name), value);

    protected override void SetNull(string name) => SetNull(Index(name));

    protected override void SetFlag(string name, bool value) => SetFlag(Index(name), value);

    /// <summary>An integer goes as the parameter's own type: a narrower column refuses a wider value's binary form.</summary>
    internal override void SetInteger(int index, long value) => Bind(index, _types[index - 1] switch
    {
        "integer" => checked((int)value),
        "smallint" => checked((short)value),
        "boolean" => value != 0,
        _ => value,
    });

    internal override void SetText(int index, string value) => Bind(index, value);

    internal override void SetNull(int index) => Bind(index, DBNull.Value);

    internal override void SetFlag(int index, bool value) => Bind(index, _types[index - 1] == "boolean" ? value : StoredValues.Flag(value));

    private void Bind(int index, object value)
    {
        if (!_set[index]) { _set[index] = true; _unset--; }
        _command.Parameters[index - 1].Value = value;
    }

    private int Index(string name) => _parameters.TryGetValue(name, out var index)
        ? index
        : throw new ArgumentException($"Statement {Name} has no parameter {name}.", nameof(name));

    private void EnsureAllSet()
    {
        if (_unset == 0) return;
        var missing = _parameters.Where(p => !_set[p.Value]).Select(p => p.Key);
        throw new InvalidOperationException($"Statement {Name} was run without a value for {string.Join(", ", missing)}.");
    }

    public override void Dispose()
    {
        _reader?.Dispose();
        _command.Dispose();
    }
}
