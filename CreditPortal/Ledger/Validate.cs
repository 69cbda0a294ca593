using System.Net.Mail;
using CreditPortal.Clock;

namespace CreditPortal.Ledger;

/// <summary>Input checks shared by every caller (pages and API): each names the field it is about.</summary>
public static class Validate
{
    public const long MaxQuantity = 1_000_000_000;

    public static long Quantity(long value, string field = "quantity")
        => value is >= 1 and <= MaxQuantity ? value : throw new LedgerValidationException(field, $"{Label(field)} must be a whole number from 1 to 1,000,000,000.");

    public static long NonNegative(long value, string field)
        => value is >= 0 and <= MaxQuantity ? value : throw new LedgerValidationException(field, $"{Label(field)} must be a whole number from 0 to 1,000,000,000.");

    public static string Text(string? value, string field, int max, bool required = true)
    {
        var trimmed = value?.Trim() ?? "";
        if (required && trimmed.Length == 0) throw new LedgerValidationException(field, $"{Label(field)} is required.");
        if (trimmed.Length > max) throw new LedgerValidationException(field, $"{Label(field)} must be at most {max} characters.");
        return trimmed;
    }

    public static string? OptionalText(string? value, string field, int max)
    {
        if (value is null) return null;
        if (value.Length > max) throw new LedgerValidationException(field, $"{Label(field)} must be at most {max} characters.");
        return value;
    }

    public static string IdempotencyKey(string? value)
        => value is { Length: >= 1 and <= 100 } ? value : throw new LedgerValidationException("idempotencyKey", "idempotencyKey must be 1 to 100 characters.");

    public static string TimeZone(string? value, string field = "timeZone")
        => AccountCalendar.IsKnownZone(value) ? value! : throw new LedgerValidationException(field, $"'{value}' is not a known IANA time zone (e.g. Europe/Rome).");

    public static List<string> Emails(IEnumerable<string>? values, string field = "billingContacts")
    {
        var result = new List<string>();
        foreach (var raw in values ?? [])
        {
            var email = raw?.Trim() ?? "";
            if (!IsEmail(email)) throw new LedgerValidationException(field, $"'{raw}' is not a valid email address.");
            if (!result.Contains(email, StringComparer.OrdinalIgnoreCase)) result.Add(email);
        }
        if (result.Count > 20) throw new LedgerValidationException(field, "At most 20 billing contacts.");
        return result;
    }

    public static bool IsEmail(string value)
    {
        if (value.Length is < 3 or > 254 || value.Contains(' ') || value.Count(c => c == '@') != 1) return false;
        try
        {
            var address = new MailAddress(value);
            return address.Address == value && address.Host.Contains('.');
        }
        catch (FormatException) { return false; }
    }

    public static List<string> ProductTypes(IEnumerable<string>? values, CreditsOptions options, string field = "productTypes")
    {
        var result = new List<string>();
        foreach (var value in values ?? [])
        {
            var known = options.ProductTypes.Keys.FirstOrDefault(k => string.Equals(k, value?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new LedgerValidationException(field, $"'{value}' is not a product type; known types: {string.Join(", ", options.ProductTypes.Keys)}.");
            if (!result.Contains(known)) result.Add(known);
        }
        return result;
    }

    private static string Label(string field) => field;
}
