using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Commands;

/// <summary>Null fields are left as they are.</summary>
public sealed record SettingsChange(bool? HoldWhenOutOfCredits = null, IReadOnlyDictionary<Channel, bool>? AutoRenew = null,
    IReadOnlyList<string>? BillingContacts = null, string? TimeZone = null);

/// <summary>R9 hold, R10 auto-renew per channel, billing contacts and the account's time zone.</summary>
public static class UpdateSettings
{
    public static void Execute(LedgerSession s, long accountId, SettingsChange change, Actor actor)
    {
        var contacts = change.BillingContacts is null ? null : Validate.Emails(change.BillingContacts);
        var zone = change.TimeZone is null ? null : Validate.TimeZone(change.TimeZone);
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
    /// Month and day boundaries move with the zone. The free top-up of the month the account is now in
    /// runs at once if that month has had none yet (never twice: it is keyed by the month).
    /// </summary>
    private static void ChangeZone(LedgerSession s, AccountState account, string zone)
    {
        account.Row.TimeZoneId = zone;
        account.Calendar = new Clock.AccountCalendar(zone);
        SendingRules.ResetUsageWindow(account);
        var done = s.Due.TopUpDone(account, account.Calendar.MonthKey(s.Now));
        account.Row.NextTopUpAt = done ? account.Calendar.NextMonthStart(s.Now) : s.Now;
        foreach (var wallet in account.Wallets)
        {
            if (wallet.Queue.Count == 0) continue;
            wallet.Row.QueueReleaseCheckAt = account.Calendar.NextDayStart(s.Now);
            s.Records.SaveWallet(wallet);
        }
    }

    private static string Flag(bool value) => value ? "on" : "off";
}
