using System.Globalization;
using System.Text.Json;

namespace CreditPortal.Data;

/// <summary>
/// How every value is stored in the database: the one definition, used both by EF Core's converters
/// (<see cref="MoneyConverter"/>, <see cref="UtcTicksConverter"/>, <see cref="EnumNameConverter{TEnum}"/>) and by
/// the hand-written SQL of the ledger writer, the ledger check, the reports and the scheduled queries.
/// Instants and money are integers so that ordering (R1 "soonest expiry first") and sums happen in the
/// database, exactly.
/// </summary>
public static class StoredValues
{
    /// <summary>Money is stored in whole ten-thousandths of the currency unit (1.25 EUR is 12,500).</summary>
    public const decimal MoneyUnitsPerCurrencyUnit = 10_000m;

    public static long Money(decimal amount) => (long)decimal.Round(amount * MoneyUnitsPerCurrencyUnit, 0, MidpointRounding.AwayFromZero);

    public static decimal Money(long stored) => stored / MoneyUnitsPerCurrencyUnit;

    /// <summary>An instant is stored as its UTC ticks.</summary>
    public static long Instant(DateTimeOffset instant) => instant.UtcTicks;

    public static DateTimeOffset Instant(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    /// <summary>A local date is stored as <c>yyyy-MM-dd</c> text (EF Core's own SQLite format for DateOnly,
    /// which the statement tests check), so it sorts and compares as a date.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Date(string stored) => DateOnly.ParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An enum is stored as its name: the database reads like the domain.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString();

    public static TEnum Enum<TEnum>(string stored) where TEnum : struct, Enum => System.Enum.Parse<TEnum>(stored);

    /// <summary>An enum value as an SQL literal, for conditions that must be literal (a partial index's
    /// condition is only used by a query that repeats it word for word).</summary>
    public static string Literal<TEnum>(TEnum value) where TEnum : struct, Enum => "'" + Name(value) + "'";

    /// <summary>A flag is stored as 0 or 1.</summary>
    public static long Flag(bool value) => value ? 1L : 0L;

    public static bool Flag(long stored) => stored != 0;

    /// <summary>A list of strings is stored as a JSON array (EF Core's primitive collections).</summary>
    public static string List(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    public static List<string> List(string? stored)
        => string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<List<string>>(stored) ?? [];
}
