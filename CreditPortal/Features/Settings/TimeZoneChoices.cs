namespace CreditPortal.Features.Settings;

/// <summary>The IANA zones this machine knows (ICU/tzdata), for the account's time zone choice.</summary>
public static class TimeZoneChoices
{
    private static readonly Lazy<IReadOnlyList<string>> Ids = new(() => TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.Id)
        .Where(id => id.Contains('/') || id == "UTC")
        .Order(StringComparer.Ordinal)
        .ToList());

    public static IReadOnlyList<string> All => Ids.Value;
}
