using System.Globalization;
using CreditPortal.Clock;
using CreditPortal.Formatting;

namespace CreditPortal.Ledger.Rules;

/// <summary>
/// Issue #17, the unusual-usage alert (docs/domain.md §6): the credits a wallet took in one hour against the median of
/// the same hour of the week, in the account's zone, over the weeks before. Pure: what the hour is compared with and
/// whether it alerts; <see cref="UnusualUsageWork"/> reads the figures and raises the alert.
/// </summary>
public static class UnusualUsage
{
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>How many lists and API keys an alert names (the largest first).</summary>
    public const int NamesShown = 3;

    /// <summary>The start of the hour (UTC) that holds <paramref name="instant"/>. The checked windows are whole UTC
    /// hours; in a zone whose offset is not a whole number of hours (India, +05:30) the local hour of a window is
    /// 10:30–11:30, and that is the hour of the week it is compared with.</summary>
    public static DateTimeOffset HourStart(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>
    /// The starts of the same hour of the week in the <paramref name="weeks"/> weeks before the hour starting at
    /// <paramref name="windowStart"/>: the same local weekday and wall-clock time, 7, 14, … days earlier, so a
    /// newsletter sent every Tuesday at 10:00 is compared with Tuesdays at 10:00 across a daylight-saving change (a
    /// different UTC hour). A week is left out when that local time did not exist (the hour skipped by a spring-forward
    /// change) or the account did not exist yet (<paramref name="since"/>); a local time that happened twice (autumn)
    /// is its first occurrence, as everywhere (AccountCalendar).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> SameHourOfWeek(DateTimeOffset windowStart, AccountCalendar calendar, int weeks, DateTimeOffset since)
    {
        var local = calendar.ToLocal(windowStart).DateTime;
        var starts = new List<DateTimeOffset>(weeks);
        for (var week = 1; week <= weeks; week++)
        {
            var earlier = DateTime.SpecifyKind(local.AddDays(-7 * week), DateTimeKind.Unspecified);
            if (calendar.Zone.IsInvalidTime(earlier)) continue;
            var start = calendar.ToInstant(earlier);
            if (start < since) continue;
            starts.Add(start);
        }
        return starts;
    }

    /// <summary>The median of the hours (the mean of the two middle ones for an even count); 0 for none.</summary>
    public static decimal Median(IReadOnlyCollection<long> hours)
    {
        if (hours.Count == 0) return 0;
        var sorted = hours.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }

    /// <summary>Whether the hour alerts: at least <paramref name="factor"/> × the median and at least the floor, both
    /// inclusive. An hour with no earlier week to compare with (a new account) never alerts.</summary>
    public static bool Fires(long credits, decimal median, int weeksCompared, decimal factor, long floor)
        => weeksCompared > 0 && credits >= floor && credits >= factor * median;

    /// <summary>How many times the usual the hour is, or null when the usual is 0.</summary>
    public static decimal? Ratio(long credits, decimal median) => median > 0 ? credits / median : null;

    /// <summary>
    /// "Unusual email use: 48,200 credits on 17 Nov 2026, 10:00–11:00, 10.0 times the usual 4,820 for this hour of the
    /// week (median of the last 8 weeks). Lists: Newsletter 48,200. API keys: Newsletter engine 48,200." In the
    /// account's zone and the portal's number format.
    /// </summary>
    public static string Text(Channel channel, long credits, DateTimeOffset windowStart, decimal median, int weeks,
        IReadOnlyList<(string Name, long Credits)> lists, IReadOnlyList<(string Name, long Credits)> keys, long otherSenders, TimeZoneInfo zone)
    {
        var from = PortalFormat.Instant(windowStart, zone);
        var to = TimeZoneInfo.ConvertTime(windowStart + Hour, zone).ToString("HH:mm", PortalFormat.Culture);
        var usual = Ratio(credits, median) is { } ratio
            ? $"{ratio.ToString("N1", PortalFormat.Culture)} times the usual {Credits(median)} for this hour of the week"
            : "where this hour of the week usually takes none";
        var text = $"Unusual {(channel == Channel.Sms ? "SMS" : "email")} use: {PortalFormat.Credits(credits)} credits on {from}–{to}, {usual} "
            + $"(median of the last {weeks} {(weeks == 1 ? "week" : "weeks")}).";
        if (lists.Count > 0) text += " Lists: " + Names(lists) + ".";
        if (keys.Count > 0) text += " API keys: " + Names(keys) + ".";
        if (otherSenders > 0) text += $" Other senders (the portal, support): {PortalFormat.Credits(otherSenders)}.";
        return text;
    }

    private static string Names(IReadOnlyList<(string Name, long Credits)> names)
        => string.Join(", ", names.Select(n => $"{n.Name} {PortalFormat.Credits(n.Credits)}"));

    private static string Credits(decimal median)
        => median == decimal.Truncate(median) ? PortalFormat.Credits((long)median) : median.ToString("N1", PortalFormat.Culture);

    /// <summary>The API key id in an actor written by <see cref="Actor.ApiKey"/> (<c>api-key:Shop backend (#3)</c>), or null.</summary>
    public static long? ApiKeyId(string actor)
    {
        if (!actor.StartsWith("api-key:", StringComparison.Ordinal) || !actor.EndsWith(')')) return null;
        var open = actor.LastIndexOf("(#", StringComparison.Ordinal);
        return open > 0 && long.TryParse(actor.AsSpan(open + 2, actor.Length - open - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
