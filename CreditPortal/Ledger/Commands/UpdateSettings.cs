using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Commands;

/// <summary>Null fields are left as they are.</summary>
/// <param name="AutoRenewPacks">R10, per channel: the pack auto-renew buys; a null value goes back to "the last pack bought".</param>
public sealed record SettingsChange(bool? HoldWhenOutOfCredits = null, IReadOnlyDictionary<Channel, bool>? AutoRenew = null,
    IReadOnlyList<string>? BillingContacts = null, string? TimeZone = null, IReadOnlyDictionary<Channel, string?>? AutoRenewPacks = null);

/// <summary>R9 hold, R10 auto-renew per channel, billing contacts and the account's time zone.</summary>
public static class UpdateSettings
{
    public static void Execute(LedgerSession s, long accountId, SettingsChange change, Actor actor)
    {
        var contacts = change.BillingContacts is null ? null : Validate.Emails(change.BillingContacts);
        var zone = change.TimeZone is null ? null : Validate.TimeZone(change.TimeZone);
        var packs = AutoRenewPacks(s, change.AutoRenewPacks);
        var account = s.Open(accountId);
        var row = account.Row;

        if (change.HoldWhenOutOfCredits is { } hold && hold != row.HoldWhenOutOfCredits)
        {
            s.Audit.Record(account, actor, "settings.hold", Flag(row.HoldWhenOutOfCredits), Flag(hold), null);
            row.HoldWhenOutOfCredits = hold;
        }
        if (contacts is not null && !contacts.SequenceEqual(row.BillingContacts))
        {
            s.Audit.Record(account, actor, "settings.billingContacts", string.Join(", ", row.BillingContacts), string.Join(", ", contacts), null);
            row.BillingContacts = contacts;
        }
        if (zone is not null && zone != row.TimeZoneId)
        {
            s.Audit.Record(account, actor, "settings.timeZone", row.TimeZoneId, zone, null);
            ChangeZone(s, account, zone);
        }
        s.Records.SaveAccount(account);

        foreach (var (channel, pack) in packs)
        {
            var wallet = account.Wallet(channel);
            if (wallet.Row.AutoRenewPackId == pack) continue;
            s.Audit.Record(account, actor, $"settings.autoRenewPack.{channel}", wallet.Row.AutoRenewPackId ?? LastBought, pack ?? LastBought, null);
            // Applies from the next time auto-renew triggers; a renewal already being retried keeps the pack it started with.
            wallet.Row.AutoRenewPackId = pack;
            s.Records.SaveWallet(wallet);
        }

        foreach (var (channel, on) in change.AutoRenew ?? new Dictionary<Channel, bool>())
        {
            var wallet = account.Wallet(channel);
            if (wallet.Row.AutoRenew == on) continue;
            s.Audit.Record(account, actor, $"settings.autoRenew.{channel}", Flag(wallet.Row.AutoRenew), Flag(on), null);
            wallet.Row.AutoRenew = on;
            // Whichever mode takes over starts from the current balance: nothing fires for a level
            // already reached before the switch, except auto-renew, which acts at once if it is due.
            wallet.Row.AutoRenewArmed = true;
            s.Records.SaveWallet(wallet);
            s.Alerts.CheckThresholds(account, wallet, s.Now);
        }
    }

    /// <summary>
    /// R2: month and day boundaries move with the zone, and so does the end of the month's free lot: it ends at the
    /// start of the next month in the new zone (at once if that is already past, i.e. a move east that crossed a month
    /// start). A move east into a month that had no top-up yet tops up at once (after that expiry, so B does not count
    /// the old month's credits); a move west back into an earlier month grants nothing, because the later month's
    /// credits are already there and now last until that month ends in the new zone. Top-ups stay keyed by month, so
    /// no month is granted twice and none is skipped.
    /// </summary>
    private static void ChangeZone(LedgerSession s, AccountState account, string zone)
    {
        var now = s.Now;
        var oldCalendar = account.Calendar;
        var oldMonth = oldCalendar.MonthKey(now);
        account.Row.TimeZoneId = zone;
        account.Calendar = new Clock.AccountCalendar(zone);
        SendingRules.ResetUsageWindow(account);

        var email = account.Email;
        var moved = false;
        foreach (var lot in email.Lots)
        {
            if (lot.Kind != LotKind.MonthlyFree || lot.ExpiresAt is not { } end) continue;
            // The month the lot ends at (its expiry is that month's 1st, 00:00 in the old zone), started in the new zone.
            var endMonth = oldCalendar.LocalDate(end);
            var newEnd = account.Calendar.StartOfMonth(endMonth.Year, endMonth.Month);
            if (newEnd < now) newEnd = now;
            if (newEnd == end) continue;
            s.Postings.MoveExpiry(account, email, lot, newEnd, LedgerEntryKind.ExpiryMoved, null,
                $"time zone {oldCalendar.Zone.Id} → {zone}: the free month ends at the new zone's month start");
            moved = true;
        }
        if (moved) email.ResortLots();

        var newMonth = account.Calendar.MonthKey(now);
        // Month keys are yyyy-MM, so they compare in calendar order.
        var east = string.CompareOrdinal(newMonth, oldMonth) > 0;
        account.Row.NextTopUpAt = east && !s.Due.TopUpDone(account, newMonth) ? now : account.Calendar.NextMonthStart(now);
        foreach (var wallet in account.Wallets)
        {
            if (wallet.Queue.Count == 0) continue;
            wallet.Row.QueueReleaseCheckAt = account.Calendar.NextDayStart(now);
            s.Records.SaveWallet(wallet);
        }
        // What the move made due now (the old month's end, the new month's top-up) happens in this command, in R2's order.
        s.Due.Run(account, now);
    }

    private static string Flag(bool value) => value ? "on" : "off";

    private const string LastBought = "the last pack bought";

    /// <summary>Checks every chosen pack before anything changes: it must be in the catalogue, on its wallet's channel.</summary>
    private static List<(Channel Channel, string? PackId)> AutoRenewPacks(LedgerSession s, IReadOnlyDictionary<Channel, string?>? chosen)
    {
        var packs = new List<(Channel, string?)>();
        foreach (var (channel, id) in chosen ?? new Dictionary<Channel, string?>())
        {
            if (string.IsNullOrWhiteSpace(id)) { packs.Add((channel, null)); continue; }
            var pack = s.Catalog.Find(id.Trim());
            if (pack is null || pack.Channel != channel)
                throw new LedgerValidationException($"autoRenewPack.{channel}",
                    $"'{id}' is not a {channel} pack; choose one of: {string.Join(", ", s.Catalog.For(channel).Select(p => p.Id))}, or null for the last pack bought.");
            packs.Add((channel, pack.Id));
        }
        return packs;
    }
}
