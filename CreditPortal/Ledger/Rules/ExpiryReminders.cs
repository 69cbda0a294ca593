using CreditPortal.Formatting;

namespace CreditPortal.Ledger.Rules;

/// <summary>
/// Issue #17, expiry reminders (docs/domain.md §6): an <c>ExpiringSoon</c> alert a configured number of days before a
/// lot that still holds credits expires (<c>Credits:ExpiryReminderDays</c>, 30 and 7), once per lot, expiry and
/// threshold. The thresholds a lot has behind it are kept on the lot (<see cref="Lot.RemindedDaysBefore"/>: the nearest
/// one reminded of or passed), so the next one is derived from state like every other due event.
/// </summary>
public static class ExpiryReminders
{
    /// <summary>The forecast's window (Features/Balance/CreditForecast.cs): the rate is the credits drawn over the last
    /// this many local days, today included, divided by it.</summary>
    public const int RateWindowDays = 30;

    /// <summary>
    /// Free monthly lots (R2) and plan lots (R7) are replaced by the next month's or cycle's credits: reminding of them
    /// would be a mail every month that asks for nothing. Bought, refilled and granted credits are lost when they expire.
    /// </summary>
    public static bool Applies(LotKind kind) => kind is LotKind.Purchased or LotKind.Refill or LotKind.Adjustment;

    /// <summary>The configured thresholds, farthest first, each once; zero and negative days mean nothing.</summary>
    public static int[] Thresholds(IEnumerable<int> configured) => configured.Where(d => d > 0).Distinct().OrderDescending().ToArray();

    /// <summary>When the lot's next reminder is due, or null when it has none left (or never expires, or is not reminded of).</summary>
    public static DateTimeOffset? NextDueAt(LotKind kind, DateTimeOffset? expiresAt, int? remindedDaysBefore, IReadOnlyList<int> thresholds)
    {
        if (expiresAt is not { } expires || !Applies(kind)) return null;
        foreach (var days in thresholds)
            if (remindedDaysBefore is not { } done || days < done) return expires.AddDays(-days);
        return null;
    }

    /// <summary>
    /// The threshold to remind of when the scheduler reaches the lot at <paramref name="upTo"/>: the nearest one whose
    /// instant has come. After downtime that spanned both 30 and 7 days only the 7-day reminder goes out (one mail,
    /// the one that is still true); the 30-day one counts as passed.
    /// </summary>
    public static int? DueThreshold(DateTimeOffset expiresAt, int? remindedDaysBefore, IReadOnlyList<int> thresholds, DateTimeOffset upTo)
    {
        int? due = null;
        foreach (var days in thresholds)
            if ((remindedDaysBefore is not { } done || days < done) && expiresAt.AddDays(-days) <= upTo) due = days;
        return due;
    }

    /// <summary>
    /// For a lot that arrives (or whose expiry moves) at <paramref name="at"/>: the nearest threshold already behind it,
    /// which counts as done. A pack bought 10 days before it expires gets the 7-day reminder, not a 30-day one on the day
    /// it was bought.
    /// </summary>
    public static int? PassedAt(DateTimeOffset? expiresAt, DateTimeOffset at, IReadOnlyList<int> thresholds)
    {
        if (expiresAt is not { } expires) return null;
        int? passed = null;
        foreach (var days in thresholds)
            if (expires.AddDays(-days) <= at) passed = days;
        return passed;
    }

    /// <summary>The rate of the forecast: credits drawn over the window, per day.</summary>
    public static decimal PerDay(long creditsInWindow) => Math.Max(0, creditsInWindow) / (decimal)RateWindowDays;

    /// <summary>
    /// How many of <paramref name="target"/>'s credits spending at <paramref name="perDay"/> from <paramref name="now"/> uses
    /// before they expire: the lots are spent in R1 order (<paramref name="lotsInOrder"/>), as the forecast walks them, so
    /// the lots drawn first push the target's turn back.
    /// </summary>
    public static long UsedBeforeExpiry(IEnumerable<(long Id, long Remaining, DateTimeOffset? ExpiresAt)> lotsInOrder, long target,
        decimal perDay, DateTimeOffset now)
    {
        if (perDay <= 0) return 0;
        var t = now;
        foreach (var (id, remaining, expiresAt) in lotsInOrder)
        {
            if (remaining <= 0 || expiresAt <= now) continue;
            var daysToSpend = remaining / perDay;
            if (expiresAt is not { } expires)
            {
                // Beyond ten years nothing of a later lot is reached (and AddDays would overflow sooner or later).
                if (daysToSpend > 3650) return 0;
                t = t.AddDays((double)daysToSpend);
                continue;
            }
            var daysLeft = t >= expires ? 0 : (decimal)(expires - t).TotalDays;
            var used = Math.Min(remaining, (long)decimal.Floor(daysLeft * perDay));
            if (id == target) return used;
            t = used == remaining ? t.AddDays((double)daysToSpend) : (t > expires ? t : expires);
        }
        return 0;
    }

    /// <summary>"2,750 SMS credits expire on 1 Jan 2027; at your current rate you will use 900 of them." in the account's zone.</summary>
    public static string Text(Channel channel, long remaining, DateTimeOffset expiresAt, long willUse, decimal perDay, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(expiresAt, zone);
        // SMS packs expire at 00:00 local (R3): the date says it; any other instant needs its time too.
        var when = local.TimeOfDay == TimeSpan.Zero ? PortalFormat.Date(expiresAt, zone) : PortalFormat.Instant(expiresAt, zone);
        var what = $"{PortalFormat.Credits(remaining)} {Name(channel)} credits expire on {when}";
        if (perDay <= 0) return $"{what}; nothing was spent in the last {RateWindowDays} days, so at that rate none of them will be used.";
        if (willUse >= remaining) return $"{what}; at your current rate you will use all of them.";
        if (willUse <= 0) return $"{what}; at your current rate you will use none of them.";
        return $"{what}; at your current rate you will use {PortalFormat.Credits(willUse)} of them.";
    }

    /// <summary>
    /// What the Balance page shows beside the forecast: per expiry instant within the farthest threshold (30 days), the
    /// reminder's sentence for the lots that would be reminded of, as it reads now.
    /// </summary>
    /// <param name="lots">The wallet's active lots in R1 order.</param>
    public static IReadOnlyList<(DateTimeOffset ExpiresAt, string Text)> Upcoming(Channel channel, IReadOnlyList<LotView> lots, decimal perDay,
        DateTimeOffset now, IReadOnlyList<int> thresholds, TimeZoneInfo zone)
    {
        if (thresholds.Count == 0) return [];
        var horizon = now.AddDays(thresholds[0]);
        var order = lots.Select(l => (l.Id, l.Remaining, l.ExpiresAt)).ToList();
        return lots
            .Where(l => Applies(l.Kind) && l.Remaining > 0 && l.ExpiresAt is { } e && e > now && e <= horizon)
            .GroupBy(l => l.ExpiresAt!.Value)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, Text(channel, g.Sum(l => l.Remaining), g.Key, g.Sum(l => UsedBeforeExpiry(order, l.Id, perDay, now)), perDay, zone)))
            .ToList();
    }

    private static string Name(Channel channel) => channel == Channel.Sms ? "SMS" : "email";
}
