using CreditPortal.Data;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// The rows of a running <see cref="SqlStatement"/> query, read by column name and decoded through
/// <see cref="StoredValues"/>, so a reader never depends on a column's position in SQL written elsewhere.
/// </summary>
internal readonly ref struct SqlRows
{
    private readonly SqlStatement _statement;

    public SqlRows(SqlStatement statement) => _statement = statement;

    public bool Read() => _statement.StepRow();

    public bool IsNull(string column) => _statement.IsNullAt(_statement.Column(column));

    public long Long(string column) => _statement.LongAt(_statement.Column(column));

    public long? NullableLong(string column) => IsNull(column) ? null : Long(column);

    public int Int(string column) => checked((int)Long(column));

    public int? NullableInt(string column) => IsNull(column) ? null : Int(column);

    public bool Flag(string column) => _statement.FlagAt(_statement.Column(column));

    public string Text(string column) => _statement.TextAt(_statement.Column(column));

    public string? NullableText(string column) => IsNull(column) ? null : Text(column);

    public decimal Money(string column) => StoredValues.Money(Long(column));

    public DateTimeOffset Instant(string column) => StoredValues.Instant(Long(column));

    public DateTimeOffset? NullableInstant(string column) => IsNull(column) ? null : Instant(column);

    public DateOnly Date(string column) => StoredValues.Date(Text(column));

    public DateOnly? NullableDate(string column) => IsNull(column) ? null : Date(column);

    public TEnum Enum<TEnum>(string column) where TEnum : struct, Enum => StoredValues.Enum<TEnum>(Text(column));

    public TEnum? NullableEnum<TEnum>(string column) where TEnum : struct, Enum => IsNull(column) ? null : Enum<TEnum>(column);

    public List<string> List(string column) => StoredValues.List(NullableText(column));

    public void Dispose() => _statement.Reset();
}
