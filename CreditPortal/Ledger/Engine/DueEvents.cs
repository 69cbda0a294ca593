using System.Globalization;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// Scheduled events of one account, run in time order. At the same instant: expiries first (the old free or
/// plan lot leaves), then the new plan cycle, then the month's free top-up (R2's B counts what is left after
/// both), then the queue release of a new day, then expiry reminders (issue #17: they count what is left after all
/// of it). Each event is recorded under a unique key in the same
/// transaction as its effect, so it runs exactly once even across restarts.
/// </summary>
public sealed class DueEvents
{
    // Issue #17: a hold that ends at the same instant as a lot is released after the lot's expiry (its held part of that lot
    // then expires at the release), and before the top-up, whose B counts what the wallet holds.
    private enum DueKind { Expiry = 0, HoldExpiry = 1, PlanCycle = 2, TopUp = 3, QueueRelease = 4, ExpiryReminder = 5 }

    private readonly LedgerSession _session;
    private readonly LedgerStore _store;

    internal DueEvents(LedgerSession session, LedgerStore store)
    {
        _session = session;
        _store = store;
    }

    /// <summary>The earliest instant any event of the account is due.</summary>
    public DateTimeOffset? NextDue(AccountState account)
    {
        DateTimeOffset? next = account.Row.NextTopUpAt;
        next = Min(next, FirstHoldEnd(account)?.Row.ExpiresAt);
        foreach (var wallet in account.Wallets)
        {
            next = Min(next, FirstExpiry(wallet)?.ExpiresAt);
            next = Min(next, FirstReminder(wallet)?.At);
            next = Min(next, wallet.Row.CycleEndsAt);
            if (wallet.Queue.Count > 0) next = Min(next, wallet.Row.QueueReleaseCheckAt);
        }
        return next;
    }

    /// <summary>Runs every event of the account due at or before <paramref name="upTo"/>; returns how many ran.</summary>
    internal int Run(AccountState account, DateTimeOffset upTo)
    {
        if (account.Row.NextDueAt is not { } due || due > upTo)
        {
            // The stored instant may be stale after a load; trust only a fresh computation.
            account.Row.NextDueAt = NextDue(account);
            if (account.Row.NextDueAt is not { } fresh || fresh > upTo) return 0;
        }

        var ran = 0;
        HashSet<WalletState>? released = null; // a wallet's queue is released once per run: the rest of a long queue is the next run's
        while (Earliest(account, upTo, released) is var (at, kind, wallet, lot))
        {
            switch (kind)
            {
                case DueKind.HoldExpiry:
                    var hold = FirstHoldEnd(account)!;
                    if (Record($"expire:hold:{hold.Id}", at)) Commands.Holds.Expire(_session, account, hold, at);
                    else account.Holds.Remove(hold.Id); // (ended in the database already: only this copy was behind)
                    break;
                case DueKind.Expiry:
                    if (Record($"expire:lot:{lot!.Id}", at)) _session.Postings.ExpireLot(account, wallet!, lot, at);
                    else { wallet!.Total -= lot.Remaining; lot.Remaining = 0; wallet.Lots.Remove(lot); }
                    // R10: when new credits replace the expired ones at this same instant (a month start's top-up, a
                    // cycle's plan credits), the thresholds are checked once they arrived: a month start is one step.
                    if (!ReplacedAtOnce(account, wallet!, at)) _session.Alerts.CheckThresholds(account, wallet!, at);
                    _session.Sends.ReleaseQueue(account, wallet!, at);
                    break;
                case DueKind.PlanCycle:
                    StartNextCycle(account, wallet!, at);
                    break;
                case DueKind.TopUp:
                    TopUp(account, at);
                    break;
                case DueKind.QueueRelease:
                    var localDay = account.Calendar.LocalDate(at);
                    var day = localDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    // The day start's release runs once (recorded); the rest of a chunked release (due at any other
                    // instant) just releases what can go, which is harmless to repeat.
                    var dayStart = account.Calendar.StartOfDay(localDay) == at;
                    wallet!.Row.QueueReleaseCheckAt = null;
                    if (!dayStart || Record($"release:{wallet.Id}:{day}", at)) _session.Sends.ReleaseQueue(account, wallet, at);
                    if (wallet.Queue.Count == 0) wallet.Row.QueueReleaseCheckAt = null;
                    else if (wallet.Row.QueueReleaseCheckAt is null) // (set again only when a chunk's rest is due now)
                        wallet.Row.QueueReleaseCheckAt = account.Calendar.NextDayStart(at);
                    _session.Records.SaveWallet(wallet);
                    (released ??= []).Add(wallet);
                    break;
                case DueKind.ExpiryReminder:
                    RemindOfExpiry(account, wallet!, lot!, upTo);
                    break;
            }
            ran++;
        }
        account.Row.NextDueAt = NextDue(account);
        return ran;
    }

    /// <summary>Runs one account's due events (tests use it to stop scheduled work midway).</summary>
    internal int RunForTest(long accountId, DateTimeOffset upTo) => _session.Load(accountId) is { } account ? Run(account, upTo) : 0;

    /// <summary>R2: whether the free top-up of the account's local month <paramref name="monthKey"/> (yyyy-MM) has run.</summary>
    public bool TopUpDone(AccountState account, string monthKey) => _store.ScheduledEvents.Exists(TopUpKey(account, monthKey));

    /// <summary>Records a top-up given outside the month start (the creation grant) as that month's top-up.</summary>
    public void RecordTopUp(AccountState account, string monthKey, DateTimeOffset at) => Record(TopUpKey(account, monthKey), at);

    /// <summary>
    /// R2: fills the free email credits up to the quota of the owned product types (never additive):
    /// grants max(0, Q − B) where B is everything the email wallet still holds, expiring at month end.
    /// </summary>
    public void GrantFreeQuota(AccountState account, DateTimeOffset at, string why)
    {
        var quota = FreeQuota.Of(account.Row.ProductTypes, _session.Options.ProductTypes);
        var wallet = account.Email;
        // B is everything the wallet holds: its held credits (issue #17) are still its own.
        var grant = FreeQuota.TopUp(quota, wallet.Total + wallet.Held);
        if (grant > 0)
        {
            _session.Postings.GrantLot(account, wallet, LotKind.MonthlyFree, grant, account.Calendar.NextMonthStart(at),
                "products " + string.Join(", ", account.Row.ProductTypes), null, LedgerEntryKind.TopUp, Actor.System,
                $"free monthly quota {quota} ({why})", at);
        }
        _session.Alerts.CheckThresholds(account, wallet, at);
        _session.Sends.ReleaseQueue(account, wallet, at);
    }

    /// <summary>
    /// R7: the plan lot of the current cycle, expiring at its end, granted once per wallet, plan and cycle under a unique
    /// key (as top-ups are): coming back to a plan within the same cycle grants nothing new. The key is recorded even
    /// when the plan has no credits (Pro), since it also says "this plan's cycle is paid". Returns the new lot's id.
    /// </summary>
    /// <param name="credits">What a paid order bought (pro rata when joined mid-cycle); null: the plan's cycle credits.</param>
    public long? GrantPlanCredits(AccountState account, WalletState wallet, DateTimeOffset at, long? credits = null)
    {
        var row = wallet.Row;
        long? lotId = null;
        var start = BillingCycle.StartDate(row.CycleAnchor!.Value, row.CycleIndex);
        if (row.Plan != Plan.Packs && Record(PlanGrantKey(wallet, start, row.Plan), at))
        {
            var quantity = credits ?? _session.Pricing.CycleCredits(row.Plan, row.SubscriberCount, row.MonthlyCredits) ?? 0;
            if (quantity > 0)
            {
                lotId = _session.Postings.GrantLot(account, wallet, LotKind.Plan, quantity, row.CycleEndsAt,
                    $"{row.Plan} plan cycle from {start:yyyy-MM-dd}", null, LedgerEntryKind.PlanCredits, Actor.System,
                    $"{row.Plan} plan credits", at).Id;
                // R9's "running low" at send time measures from the last purchase or cycle grant.
                row.LastGrantCredits = quantity;
                _session.Records.SaveWallet(wallet);
            }
        }
        _session.Alerts.CheckThresholds(account, wallet, at);
        _session.Sends.ReleaseQueue(account, wallet, at);
        return lotId;
    }

    /// <summary>R7: whether <paramref name="plan"/>'s credits for the cycle starting <paramref name="cycleStart"/> were granted (and, for a paid plan, paid).</summary>
    public bool PlanGranted(WalletState wallet, DateOnly cycleStart, Plan plan) => _store.ScheduledEvents.Exists(PlanGrantKey(wallet, cycleStart, plan));

    private static string PlanGrantKey(WalletState wallet, DateOnly cycleStart, Plan plan)
        => $"plan:{wallet.Id}:{cycleStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{plan}";

    private static string TopUpKey(AccountState account, string monthKey) => $"topup:{account.Id}:{monthKey}";

    /// <summary>Records an event of a scheduled work outside the account's own (issue #17's hourly usage check) under its
    /// unique key; false when it was recorded before, so its effect must not repeat.</summary>
    public bool RecordOnce(string key, DateTimeOffset dueAt) => Record(key, dueAt);

    /// <summary>Records a due event; false when it already ran (its effect must not repeat).</summary>
    private bool Record(string key, DateTimeOffset dueAt) => _store.ScheduledEvents.Record(key, dueAt, _session.Now);

    private (DateTimeOffset At, DueKind Kind, WalletState? Wallet, LotState? Lot)? Earliest(AccountState account, DateTimeOffset upTo,
        HashSet<WalletState>? released)
    {
        (DateTimeOffset At, DueKind Kind, WalletState? Wallet, LotState? Lot)? best = null;
        void Consider(DateTimeOffset? at, DueKind kind, WalletState? wallet, LotState? lot)
        {
            if (at is not { } t || t > upTo) return;
            if (best is null || t < best.Value.At || (t == best.Value.At && kind < best.Value.Kind))
                best = (t, kind, wallet, lot);
        }
        Consider(account.Row.NextTopUpAt, DueKind.TopUp, null, null);
        Consider(FirstHoldEnd(account)?.Row.ExpiresAt, DueKind.HoldExpiry, null, null);
        foreach (var wallet in account.Wallets)
        {
            var lot = FirstExpiry(wallet);
            Consider(lot?.ExpiresAt, DueKind.Expiry, wallet, lot);
            Consider(wallet.Row.CycleEndsAt, DueKind.PlanCycle, wallet, null);
            if (wallet.Queue.Count > 0 && released?.Contains(wallet) != true)
                Consider(wallet.Row.QueueReleaseCheckAt, DueKind.QueueRelease, wallet, null);
            if (FirstReminder(wallet) is var (remindAt, remindLot)) Consider(remindAt, DueKind.ExpiryReminder, wallet, remindLot);
        }
        return best;
    }

    /// <summary>Issue #17: the active hold that reaches its end first (ties: the older one).</summary>
    private static HoldState? FirstHoldEnd(AccountState account)
    {
        HoldState? first = null;
        foreach (var hold in account.Holds.Values)
            if (first is null || hold.Row.ExpiresAt < first.Row.ExpiresAt || (hold.Row.ExpiresAt == first.Row.ExpiresAt && hold.Id < first.Id))
                first = hold;
        return first;
    }

    /// <summary>Issue #17: the lot whose next expiry reminder is due first, and when.</summary>
    private (DateTimeOffset At, LotState Lot)? FirstReminder(WalletState wallet)
    {
        (DateTimeOffset, LotState)? first = null;
        foreach (var lot in wallet.Lots)
        {
            if (ExpiryReminders.NextDueAt(lot.Kind, lot.ExpiresAt, lot.RemindedDaysBefore, _session.ReminderThresholds) is { } at
                && (first is null || at < first.Value.Item1))
                first = (at, lot);
        }
        return first;
    }

    /// <summary>
    /// Issue #17: one <c>ExpiringSoon</c> alert for the credits of this wallet that expire at the lot's instant (lots
    /// that share an expiry, as SMS packs do after R3 moved them, are one reminder), at the nearest threshold that has
    /// come by <paramref name="upTo"/> (after downtime: the 7-day one, not both). Each lot's threshold is recorded under
    /// <c>remind:lot:{id}:{expiry ticks}:{days}</c> with the alert, so it goes out once, also across restarts.
    /// </summary>
    private void RemindOfExpiry(AccountState account, WalletState wallet, LotState lot, DateTimeOffset upTo)
    {
        var expires = lot.ExpiresAt!.Value;
        var thresholds = _session.ReminderThresholds;
        if (ExpiryReminders.DueThreshold(expires, lot.RemindedDaysBefore, thresholds, upTo) is not { } days) return;
        var at = expires.AddDays(-days); // dated at its due time, also when it ran late
        long remaining = 0;
        var lots = new List<LotState>();
        foreach (var other in wallet.Lots)
        {
            if (other.ExpiresAt != expires || !ExpiryReminders.Applies(other.Kind)) continue;
            if (other.RemindedDaysBefore is { } done && done <= days) continue;
            other.RemindedDaysBefore = days;
            _store.Lots.SetReminded(other.Id, days);
            if (Record($"remind:lot:{other.Id}:{expires.UtcTicks}:{days}", at))
            {
                lots.Add(other);
                remaining += other.Remaining;
            }
        }
        if (lots.Count == 0) return;

        // The forecast's rate (Features/Balance/CreditForecast.cs): credits drawn over the last 30 local days, today
        // included. This batch's own sends are not in the table yet; a reminder can do without them.
        var today = account.Calendar.LocalDate(at);
        var perDay = ExpiryReminders.PerDay(_store.DailyUsage.CreditsBetween(account.Id, wallet.Channel,
            today.AddDays(1 - ExpiryReminders.RateWindowDays), today.AddDays(1)));
        var order = wallet.Lots.Select(l => (l.Id, l.Remaining, l.ExpiresAt)).ToList();
        var willUse = lots.Sum(l => ExpiryReminders.UsedBeforeExpiry(order, l.Id, perDay, at));
        _session.Alerts.Raise(account, wallet.Channel, AlertKind.ExpiringSoon, at,
            ExpiryReminders.Text(wallet.Channel, remaining, expires, willUse, perDay, account.Calendar.Zone));
    }

    /// <summary>Whether a top-up (R2, Email) or a new plan cycle (R7) of this wallet is still due at <paramref name="at"/>:
    /// both run after the expiries of the same instant and check the thresholds themselves.</summary>
    private static bool ReplacedAtOnce(AccountState account, WalletState wallet, DateTimeOffset at)
        => (wallet.Channel == Channel.Email && account.Row.NextTopUpAt == at) || wallet.Row.CycleEndsAt == at;

    /// <summary>The active lot that expires first (lots are kept in R1 order: expiring ones last, soonest first).</summary>
    private static LotState? FirstExpiry(WalletState wallet)
    {
        foreach (var lot in wallet.Lots)
            if (lot.ExpiresAt is not null) return lot;
        return null;
    }

    /// <summary>R2 at a local month start: the month's free lot is max(0, Q − B).</summary>
    private void TopUp(AccountState account, DateTimeOffset at)
    {
        var monthKey = account.Calendar.MonthKey(at);
        if (Record(TopUpKey(account, monthKey), at))
            GrantFreeQuota(account, at, $"month start {monthKey}");
        account.Row.NextTopUpAt = account.Calendar.NextMonthStart(at);
        _session.Records.SaveAccount(account);
    }

    /// <summary>
    /// R7: a billing cycle ended and the next one starts. Free grants its credits at once; a paid plan's credits wait for
    /// their money: the saved card is charged by a renewal attempt due now (Orders/AutoRenewWork), retried on decline.
    /// On Packs the cycle keeps counting (so a return to a plan stays in step) and nothing is granted.
    /// </summary>
    private void StartNextCycle(AccountState account, WalletState wallet, DateTimeOffset at)
    {
        var row = wallet.Row;
        var next = row.CycleIndex + 1;
        var anchor = row.CycleAnchor ?? account.Calendar.LocalDate(at);
        // Keyed by the instant the cycle ended: cycle ends only move forward, even across plan changes.
        if (Record($"cycle:{wallet.Id}:{at.UtcTicks}", at))
        {
            // A count or tier chosen during the ended cycle applies from this one.
            if (row.NextSubscriberCount is { } subscribers) { row.SubscriberCount = subscribers; row.NextSubscriberCount = null; }
            if (row.NextMonthlyCredits is { } tier) { row.MonthlyCredits = tier; row.NextMonthlyCredits = null; }
            row.CycleIndex = next;
            row.CycleEndsAt = BillingCycle.EndsAt(anchor, next, account.Calendar);
            if (PlanPricing.IsPaid(row.Plan)) _session.Records.PlanRenewal(account, wallet, row.Plan, next, 1, at, at);
            else GrantPlanCredits(account, wallet, at);
        }
        else
        {
            row.CycleIndex = next;
            row.CycleEndsAt = BillingCycle.EndsAt(anchor, next, account.Calendar);
        }
        _session.Records.SaveWallet(wallet);
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b)
        => a is null ? b : b is null ? a : (a < b ? a : b);
}
