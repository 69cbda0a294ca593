using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// Whether a send can go now and what follows: R6 monthly caps, R7's Free daily limit, credits, R9's queue.
/// Keeps each wallet's sent-this-month and sent-today counters, and the per-day usage rows reports read (R12).
/// </summary>
public sealed class SendingRules
{
    private readonly LedgerSession _session;
    private readonly LedgerStore _store;

    internal SendingRules(LedgerSession session, LedgerStore store)
    {
        _session = session;
        _store = store;
    }

    /// <summary>R9 + R6 + R7: why a send of <paramref name="messages"/> costing <paramref name="credits"/> cannot go now, or null.</summary>
    public string? Blocker(AccountState account, WalletState wallet, ListAllocationState list, long messages, long credits, DateTimeOffset at)
    {
        EnsureUsageWindow(account, at);
        // Issue #17: a hold's messages are spoken for while held (HeldMessages is 0 for a list without holds).
        if (list.CapEnabled && list.CapPerMonth is { } cap && list.SentThisMonth + list.HeldMessages + messages > cap)
            return ConsumptionReasons.MonthlyCap;
        if (wallet.Row.Plan == Plan.Free && wallet.SentToday + messages > _session.Options.FreePlan.DailySendLimit)
            return ConsumptionReasons.DailyLimit;
        if (wallet.Row.Plan == Plan.Pro)
            return null;
        var available = list.Mode == AllocationMode.Assigned ? list.Assigned : wallet.Unassigned;
        return credits > available ? ConsumptionReasons.InsufficientCredits : null;
    }

    /// <summary>
    /// Sends a decided consumption: draws its credits (<see cref="LedgerPostings.DrawForConsumption"/>) and counts
    /// it for caps, limits and reports. Returns whether it was unmetered (Pro).
    /// </summary>
    public bool Accept(AccountState account, WalletState wallet, ListAllocationState list, long consumptionId, long messages, long credits,
        DateTimeOffset at, Actor actor)
    {
        var unmetered = wallet.Row.Plan == Plan.Pro;
        var drawn = _session.Postings.DrawForConsumption(account, wallet, list, consumptionId, credits, at, actor);
        CountAccepted(account, wallet, list, messages, drawn, at);
        return unmetered;
    }

    /// <summary>Counts an accepted send for caps, limits and reports (a send, or a hold's capture: issue #17).</summary>
    public void CountAccepted(AccountState account, WalletState wallet, ListAllocationState list, long messages, long drawn, DateTimeOffset at)
    {
        EnsureUsageWindow(account, at);
        list.SentThisMonth += messages;
        wallet.SentToday += messages;
        _store.DailyUsage.Add(new ListDailyUsage
        {
            AccountId = account.Id, ListId = list.ListId, Channel = wallet.Channel, LocalDate = account.Calendar.LocalDate(at),
            Messages = messages, Credits = drawn, Accepted = 1,
        });
    }

    /// <summary>Issue #17: whether a send of <paramref name="credits"/> through <paramref name="key"/> would pass the key's cap this
    /// local month.</summary>
    public bool BeyondKeyCap(AccountState account, SendingKey? key, long credits, DateTimeOffset at)
        => key?.MonthlyCreditCap is { } cap && KeyCreditsThisMonth(account, key.KeyId, at) + credits > cap;

    /// <summary>Issue #17: a send through the key was accepted or queued: its credits count towards the key's month.</summary>
    public void CountKeySpend(AccountState account, SendingKey key, long credits, DateTimeOffset at)
    {
        var spent = KeyCreditsThisMonth(account, key.KeyId, at);
        account.KeyCredits[key.KeyId] = spent + credits;
        _store.ApiKeyUsage.Add(key.KeyId, account.Id, account.KeyCreditsMonth!, credits);
    }

    /// <summary>The credits of the key's sends in the local month of <paramref name="at"/>, read from its usage row once per
    /// month (the statement first writes the batch's waiting rows, so it also counts this batch's sends).</summary>
    public long KeyCreditsThisMonth(AccountState account, long keyId, DateTimeOffset at)
    {
        // The usage window knows the local month already: the month's key is formatted once a month, not per send.
        EnsureUsageWindow(account, at);
        if (account.KeyCreditsMonthStart != account.MonthStart || account.KeyCreditsMonth is null)
        {
            account.KeyCredits.Clear();
            account.KeyCreditsMonth = account.Calendar.MonthKey(at);
            account.KeyCreditsMonthStart = account.MonthStart;
        }
        var month = account.KeyCreditsMonth;
        if (!account.KeyCredits.TryGetValue(keyId, out var credits))
            account.KeyCredits[keyId] = credits = _store.ApiKeyUsage.Credits(keyId, month);
        return credits;
    }

    /// <summary>A refused consumption is counted too (reports show refusals).</summary>
    public void CountRejected(AccountState account, WalletState wallet, long listId, long messages, DateTimeOffset at)
        => _store.DailyUsage.Add(new ListDailyUsage
        {
            AccountId = account.Id, ListId = listId, Channel = wallet.Channel, LocalDate = account.Calendar.LocalDate(at),
            Rejected = 1, RejectedMessages = messages,
        });

    /// <summary>R9: a send waits behind the wallet's queue; the next local day start may release it.</summary>
    public void Enqueue(AccountState account, WalletState wallet, QueuedConsumption queued, DateTimeOffset at)
    {
        wallet.Queue.AddLast(queued);
        if (wallet.Row.QueueReleaseCheckAt is not null) return;
        wallet.Row.QueueReleaseCheckAt = account.Calendar.NextDayStart(at);
        _session.Records.SaveWallet(wallet);
    }

    /// <summary>
    /// R9: releases queued consumptions first-in first-out while the head can go; stops at the first that
    /// still cannot, so the order of sending is kept. At most <see cref="LedgerOptions.ReleaseChunk"/> in one
    /// command: when more could go, the rest is due again at once (<see cref="DueEvents"/> runs it as the next
    /// scheduled command), so a long queue never holds the writer, and every other account, in one command.
    /// </summary>
    public int ReleaseQueue(AccountState account, WalletState wallet, DateTimeOffset at)
    {
        var released = 0;
        while (wallet.Queue.First is { } node)
        {
            if (released == _session.Limits.ReleaseChunk)
            {
                // Due now: the scheduler's next round picks it up as a command of its own.
                wallet.Row.QueueReleaseCheckAt = _session.Now;
                _session.Records.SaveWallet(wallet);
                break;
            }
            var queued = node.Value;
            var list = wallet.List(queued.ListId);
            if (Blocker(account, wallet, list, queued.Quantity, queued.Credits, at) is not null) break;
            var unmetered = Accept(account, wallet, list, queued.Id, queued.Quantity, queued.Credits, at, Actor.System);
            _store.Consumptions.Decide(queued.Id, ConsumptionStatus.Accepted, null, at, unmetered);
            wallet.Queue.RemoveFirst();
            released++;
        }
        if (wallet.Queue.Count == 0 && wallet.Row.QueueReleaseCheckAt is not null)
        {
            wallet.Row.QueueReleaseCheckAt = null;
            _session.Records.SaveWallet(wallet);
        }
        if (released > 0) _session.Alerts.CheckThresholds(account, wallet, at);
        return released;
    }

    /// <summary>Makes the day and month usage counters belong to the local day and month of <paramref name="at"/>.</summary>
    internal void EnsureUsageWindow(AccountState account, DateTimeOffset at)
    {
        if (at >= account.DayStart && at < account.DayEnd && at >= account.MonthStart && at < account.MonthEnd) return;
        var calendar = account.Calendar;
        var day = calendar.LocalDate(at);
        var monthFirst = new DateOnly(day.Year, day.Month, 1);
        account.DayStart = calendar.StartOfDay(day);
        account.DayEnd = calendar.StartOfDay(day.AddDays(1));
        account.MonthStart = calendar.StartOfDay(monthFirst);
        account.MonthEnd = calendar.StartOfDay(monthFirst.AddMonths(1));
        _store.ReadUsage(account, monthFirst, monthFirst.AddMonths(1), day);
    }

    /// <summary>Forces the usage counters to be read again (after a time zone change).</summary>
    public static void ResetUsageWindow(AccountState account)
    {
        account.DayStart = account.DayEnd = account.MonthStart = account.MonthEnd = default;
    }
}
