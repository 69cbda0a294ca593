using CreditPortal.Data;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// Every kind of value the ledger stores, converted through <see cref="StoredValues"/> (the encodings EF Core's
/// converters use too). Subclasses only store integers, texts, flags and nulls.
/// </summary>
internal abstract class StoredValueWriter<TSelf> where TSelf : StoredValueWriter<TSelf>
{
    protected abstract void SetInteger(string name, long value);

    protected abstract void SetText(string name, string value);

    protected abstract void SetNull(string name);

    /// <summary>A flag is an integer (0 or 1) unless the database has booleans (PostgreSQL).</summary>
    protected virtual void SetFlag(string name, bool value) => SetInteger(name, StoredValues.Flag(value));

    public TSelf Set(string name, long value) { SetInteger(name, value); return (TSelf)this; }

    public TSelf Set(string name, long? value) => value is { } v ? Set(name, v) : Null(name);

    public TSelf Set(string name, int value) => Set(name, (long)value);

    public TSelf Set(string name, bool value) { SetFlag(name, value); return (TSelf)this; }

    public TSelf Set(string name, string? value)
    {
        if (value is null) SetNull(name); else SetText(name, value);
        return (TSelf)this;
    }

    public TSelf Set(string name, decimal money) => Set(name, StoredValues.Money(money));

    public TSelf Set(string name, DateTimeOffset instant) => Set(name, StoredValues.Instant(instant));

    public TSelf Set(string name, DateTimeOffset? instant) => instant is { } v ? Set(name, v) : Null(name);

    public TSelf Set(string name, DateOnly date) => Set(name, StoredValues.Date(date));

    public TSelf Set(string name, DateOnly? date) => date is { } v ? Set(name, v) : Null(name);

    public TSelf Set<TEnum>(string name, TEnum value) where TEnum : struct, Enum => Set(name, StoredValues.Name(value));

    public TSelf Set<TEnum>(string name, TEnum? value) where TEnum : struct, Enum => value is { } v ? Set(name, v) : Null(name);

    public TSelf Set(string name, IEnumerable<string> list) => Set(name, StoredValues.List(list));

    private TSelf Null(string name) { SetNull(name); return (TSelf)this; }
}
