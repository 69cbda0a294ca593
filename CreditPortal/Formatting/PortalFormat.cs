using System.Globalization;

namespace CreditPortal.Formatting;

/// <summary>
/// One place that formats money, credits and instants for people. The culture is explicit because the
/// server's CurrentCulture is invariant when LANG is unset (TOOLCHAIN.md), and every instant is shown in
/// the account's time zone, never the server's.
/// </summary>
public static class PortalFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"1,234.50 EUR"</summary>
    public static string Money(decimal amount, string currency)
        => amount.ToString("N2", Culture) + " " + currency;

    /// <summary>"15,000"</summary>
    public static string Credits(long credits) => credits.ToString("N0", Culture);

    /// <summary>"22 Nov 2026, 14:05" in the given zone.</summary>
    public static string Instant(DateTimeOffset instant, TimeZoneInfo zone)
        => TimeZoneInfo.ConvertTime(instant, zone).ToString("d MMM yyyy, HH:mm", Culture);

    public static string Instant(DateTimeOffset? instant, TimeZoneInfo zone, string none = "never")
        => instant is { } i ? Instant(i, zone) : none;

    /// <summary>"22 Nov 2026"</summary>
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Culture);

    /// <summary>"22 Nov 2026" for the local day of the instant in the given zone.</summary>
    public static string Date(DateTimeOffset instant, TimeZoneInfo zone)
        => TimeZoneInfo.ConvertTime(instant, zone).ToString("d MMM yyyy", Culture);

    public static string Percent(double fraction) => fraction.ToString("P0", Culture);
}
