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

    /// <summary>
    /// How <paramref name="now"/> changed from <paramref name="before"/>, in percent with its sign and one decimal
    /// ("+12.5%", "−40.0%", "0.0%"); "new" when there was nothing before, "–" when there is nothing either time.
    /// </summary>
    public static string Change(long before, long now)
    {
        if (before == 0) return now == 0 ? "\u2013" : "new";
        var percent = Math.Round((now - before) * 100m / before, 1, MidpointRounding.AwayFromZero);
        if (percent == 0) return "0.0%"; // also a tiny fall, which rounds to a negative zero
        return (percent > 0 ? "+" : "") + percent.ToString("N1", Culture).Replace("-", "\u2212", StringComparison.Ordinal) + "%";
    }
}
