using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// One SQL statement prepared once on the writer's connection and reused: parameters are positional
/// ($p0, $p1, ...) and values are converted the way the EF model stores them (instants as UTC ticks,
/// enums as names, dates as yyyy-MM-dd, money in 1/10,000).
/// </summary>
internal sealed class Statement
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public Statement(SqliteConnection connection, string sql)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        var count = 0;
        while (sql.Contains("$p" + count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)) count++;
        _parameters = new SqliteParameter[count];
        for (var i = 0; i < count; i++)
            _parameters[i] = _command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
    }

    public SqliteTransaction? Transaction { set => _command.Transaction = value; }

    public int Execute(params object?[] values)
    {
        Bind(values);
        return _command.ExecuteNonQuery();
    }

    public long ExecuteLong(params object?[] values)
    {
        Bind(values);
        return Convert.ToInt64(_command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public SqliteDataReader Query(params object?[] values)
    {
        Bind(values);
        return _command.ExecuteReader();
    }

    private void Bind(object?[] values)
    {
        if (values.Length != _parameters.Length)
            throw new ArgumentException($"Statement needs {_parameters.Length} values, got {values.Length}: {_command.CommandText}");
        for (var i = 0; i < values.Length; i++) _parameters[i].Value = ToDb(values[i]);
    }

    public static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset instant => instant.UtcTicks,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? 1L : 0L,
        decimal money => (long)decimal.Round(money * 10_000m, 0, MidpointRounding.AwayFromZero),
        Enum e => e.ToString(),
        _ => value,
    };
}

internal static class ReaderExtensions
{
    public static DateTimeOffset Instant(this SqliteDataReader r, int i) => new(r.GetInt64(i), TimeSpan.Zero);

    public static DateTimeOffset? NullableInstant(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.Instant(i);

    public static long? NullableLong(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public static string? NullableString(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static T Enum<T>(this SqliteDataReader r, int i) where T : struct, Enum => System.Enum.Parse<T>(r.GetString(i));

    public static DateOnly? NullableDate(this SqliteDataReader r, int i)
        => r.IsDBNull(i) ? null : DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool Flag(this SqliteDataReader r, int i) => r.GetInt64(i) != 0;

    public static decimal Money(this SqliteDataReader r, int i) => r.GetInt64(i) / 10_000m;
}
