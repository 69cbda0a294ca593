using System.Globalization;
using System.Text.RegularExpressions;
using CreditPortal.Ledger;

namespace CreditPortal.Api;

/// <summary>Field checks for request bodies and query strings; each failure is a 400 naming the field.</summary>
public static partial class ApiInput
{
    public static T Required<T>(T? value, string field) where T : struct
        => value ?? throw new LedgerValidationException(field, $"{field} is required.");

    public static string Required(string? value, string field)
        => string.IsNullOrWhiteSpace(value) ? throw new LedgerValidationException(field, $"{field} is required.") : value;

    /// <summary>The fields a send, its dry run and a hold share (channel, listId, quantity, country, reference), checked
    /// the same way for all three, in that order.</summary>
    public static Ledger.Commands.SendCheck Send(string? channel, long? listId, long? quantity, string? country, string? reference)
        => new(Enum<Channel>(channel, "channel"), Required(listId, "listId"), Quantity(quantity), country,
            Validate.OptionalText(reference, "reference", 200));

    public static long Quantity(long? value, string field = "quantity")
        => Validate.Quantity(Required(value, field), field);

    /// <summary>An enum by name, case-insensitive; numbers and combinations are refused.</summary>
    public static TEnum Enum<TEnum>(string? value, string field) where TEnum : struct, Enum
        => OptionalEnum<TEnum>(value, field) ?? throw new LedgerValidationException(field, $"{field} is required; one of {Names<TEnum>()}.");

    public static TEnum? OptionalEnum<TEnum>(string? value, string field) where TEnum : struct, Enum
    {
        if (value is null) return null;
        foreach (var name in System.Enum.GetNames<TEnum>())
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
                return System.Enum.Parse<TEnum>(name);
        throw new LedgerValidationException(field, $"{field} must be one of {Names<TEnum>()}.");
    }

    public static string Names<TEnum>() where TEnum : struct, Enum => string.Join(", ", System.Enum.GetNames<TEnum>());

    /// <summary>A local date YYYY-MM-DD.</summary>
    public static DateOnly? Date(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new LedgerValidationException(field, $"{field} must be a date YYYY-MM-DD.");
    }

    public static (DateOnly? From, DateOnly? To) DateRange(string? from, string? to)
    {
        var f = Date(from, "from");
        var t = Date(to, "to");
        if (f is { } a && t is { } b && a > b) throw new LedgerValidationException("to", "to must not be before from.");
        return (f, t);
    }

    public static long? QueryLong(string? value, string field, long min = 1, long max = long.MaxValue)
    {
        if (string.IsNullOrEmpty(value)) return null;
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new LedgerValidationException(field, $"{field} must be a whole number from {min} to {max}.");
    }

    /// <summary>An instant in ISO-8601 with an explicit offset (Z or ±hh:mm): a time without one is ambiguous.</summary>
    public static DateTimeOffset? Instant(string? value, string field)
    {
        if (value is null) return null;
        if (!InstantWithOffset().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            throw new LedgerValidationException(field, $"{field} must be an ISO-8601 instant with an offset, e.g. 2026-12-31T23:00:00Z.");
        return instant;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex InstantWithOffset();
}
