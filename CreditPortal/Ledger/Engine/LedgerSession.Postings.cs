using System.Globalization;
using CreditPortal.Alerts;
using CreditPortal.Formatting;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Engine;

// The balance movements. Each one writes its ledger entries and its rows and updates the in-memory
// state in the same step, so the state and the database never tell different stories.
public sealed partial class LedgerSession
{
    /// <summary>New credits arrive as a lot (top-up, plan, purchase, refill, adjustment).</summary>
    public LotState GrantLot(AccountState account, WalletState wallet, LotKind kind, long quantity, DateTimeOffset? expiresAt,
        string source, long? orderId, LedgerEntryKind entryKind, Actor actor, string? reason, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        var id = Store.InsertLot.ExecuteLong(account.Id, wallet.Id, wallet.Channel, kind, quantity, expiresAt, at, source, orderId);
        var lot = new LotState { Id = id, WalletId = wallet.Id, Kind = kind, Quantity = quantity, Remaining = quantity, ExpiresAt = expiresAt, CreatedAt = at };
        wallet.AddLot(lot);
        Store.AddEntry(new LedgerEntry
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = entryKind, Quantity = quantity,
            LotId = id, OrderId = orderId, Actor = actor.ToString(), Reason = reason,
            Detail = expiresAt is { } e ? "expires " + e.ToString("O", CultureInfo.InvariantCulture) : null,
        });
        return lot;
    }

    /// <summary>
    /// R5: the lot's remaining leaves the wallet, first from the unassigned pool, then from the lists'
    /// assignments in proportion (largest remainder, ties to the lowest list id). One ledger entry per part.
    /// </summary>
    public void ExpireLot(AccountState account, WalletState wallet, LotState lot, DateTimeOffset at)
    {
        var split = ExpirySplit.Split(lot.Remaining, wallet.Unassigned,
            wallet.Lists.Values.Where(l => l.Mode == AllocationMode.Assigned).Select(l => (l.ListId, l.Assigned)));
        var actor = Actor.System.ToString();
        if (split.FromUnassigned > 0)
        {
            Store.AddEntry(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Expiry,
                Quantity = -split.FromUnassigned, LotId = lot.Id, Actor = actor, Reason = $"{lot.Kind} lot expired", Detail = "from the unassigned pool",
            });
        }
        foreach (var (listId, amount) in split.FromLists)
        {
            var list = wallet.List(listId);
            Store.AddToAssigned.Execute(listId, wallet.Channel, -amount);
            list.Assigned -= amount;
            wallet.AssignedSum -= amount;
            Store.AddEntry(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Expiry,
                Quantity = -amount, AssignedDelta = -amount, LotId = lot.Id, ListId = listId, Actor = actor,
                Reason = $"{lot.Kind} lot expired", Detail = "from the list's assignment",
            });
        }
        Store.DrawFromLot.Execute(lot.Id, lot.Remaining);
        Store.MarkLotExpired.Execute(lot.Id, at);
        wallet.Total -= lot.Remaining;
        lot.Remaining = 0;
        wallet.Lots.Remove(lot);
    }

    /// <summary>R4: moves credits between the unassigned pool and a list (positive: into the list).</summary>
    public void MoveToList(AccountState account, WalletState wallet, ListAllocationState list, long delta, Actor actor, string? reason, string? detail = null)
    {
        if (delta == 0) return;
        if (delta > wallet.Unassigned)
            throw new LedgerRuleException("insufficient_unassigned",
                $"Only {PortalFormat.Credits(wallet.Unassigned)} {wallet.Channel} credits are unassigned; {PortalFormat.Credits(delta)} more cannot be assigned.",
                "assigned");
        if (-delta > list.Assigned)
            throw new InvalidOperationException("A list's assignment cannot go below zero.");
        Store.AddToAssigned.Execute(list.ListId, wallet.Channel, delta);
        list.Assigned += delta;
        wallet.AssignedSum += delta;
        Store.AddEntry(new LedgerEntry
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = Now, Kind = LedgerEntryKind.AllocationChange,
            Quantity = 0, AssignedDelta = delta, ListId = list.ListId, Actor = actor.ToString(), Reason = reason, Detail = detail,
        });
    }

    /// <summary>R9 + R6 + R7: why a send of <paramref name="messages"/> costing <paramref name="credits"/> cannot go now, or null.</summary>
    public string? Blocker(AccountState account, WalletState wallet, ListAllocationState list, long messages, long credits, DateTimeOffset at)
    {
        EnsureUsageWindow(account, at);
        if (list.CapEnabled && list.CapPerMonth is { } cap && list.SentThisMonth + messages > cap)
            return ConsumptionReasons.MonthlyCap;
        if (wallet.Row.Plan == Plan.Free && wallet.SentToday + messages > Options.FreePlan.DailySendLimit)
            return ConsumptionReasons.DailyLimit;
        if (wallet.Row.Plan == Plan.Pro)
            return null;
        var available = list.Mode == AllocationMode.Assigned ? list.Assigned : wallet.Unassigned;
        return credits > available ? ConsumptionReasons.InsufficientCredits : null;
    }

    /// <summary>
    /// Sends a decided consumption: draws its credits from the lots in R1 order (from the list's assignment
    /// when Assigned), one ledger entry per lot, and counts it for caps, limits and reports.
    /// Returns whether it was unmetered (Pro).
    /// </summary>
    public bool Spend(AccountState account, WalletState wallet, ListAllocationState list, long consumptionId, long messages, long credits, DateTimeOffset at, Actor actor)
    {
        var unmetered = wallet.Row.Plan == Plan.Pro;
        var drawn = 0L;
        if (unmetered)
        {
            Store.AddEntry(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Consumption,
                Quantity = 0, ListId = list.ListId, ConsumptionId = consumptionId, Actor = actor.ToString(),
                Detail = $"Pro plan: {credits} credits unmetered",
            });
        }
        else
        {
            var need = credits;
            var fromAssignment = list.Mode == AllocationMode.Assigned;
            var i = 0;
            while (need > 0)
            {
                var lot = wallet.Lots[i];
                var take = Math.Min(need, lot.Remaining);
                Store.DrawFromLot.Execute(lot.Id, take);
                Store.AddEntry(new LedgerEntry
                {
                    AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Consumption,
                    Quantity = -take, AssignedDelta = fromAssignment ? -take : 0, LotId = lot.Id, ListId = list.ListId,
                    ConsumptionId = consumptionId, Actor = actor.ToString(),
                });
                lot.Remaining -= take;
                need -= take;
                if (lot.Remaining == 0) wallet.Lots.RemoveAt(i); else i++;
            }
            if (fromAssignment)
            {
                Store.AddToAssigned.Execute(list.ListId, wallet.Channel, -credits);
                list.Assigned -= credits;
                wallet.AssignedSum -= credits;
            }
            wallet.Total -= credits;
            drawn = credits;
        }
        EnsureUsageWindow(account, at);
        list.SentThisMonth += messages;
        wallet.SentToday += messages;
        Store.UpsertUsage.Execute(account.Id, list.ListId, wallet.Channel, account.Calendar.LocalDate(at), messages, drawn, 1L, 0L, 0L);
        return unmetered;
    }

    /// <summary>A refused consumption is counted too (reports show refusals).</summary>
    public void CountRejected(AccountState account, WalletState wallet, long listId, long messages, DateTimeOffset at)
        => Store.UpsertUsage.Execute(account.Id, listId, wallet.Channel, account.Calendar.LocalDate(at), 0L, 0L, 0L, 1L, messages);

    /// <summary>
    /// R9: releases queued consumptions first-in first-out while the head can go; stops at the first that
    /// still cannot, so the order of sending is kept.
    /// </summary>
    public int ReleaseQueue(AccountState account, WalletState wallet, DateTimeOffset at)
    {
        var released = 0;
        while (wallet.Queue.First is { } node)
        {
            var queued = node.Value;
            var list = wallet.List(queued.ListId);
            if (Blocker(account, wallet, list, queued.Quantity, queued.Credits, at) is not null) break;
            var unmetered = Spend(account, wallet, list, queued.Id, queued.Quantity, queued.Credits, at, Actor.System);
            Store.DecideConsumption.Execute(queued.Id, ConsumptionStatus.Accepted, null, at, unmetered);
            wallet.Queue.RemoveFirst();
            released++;
        }
        if (wallet.Queue.Count == 0 && wallet.Row.QueueReleaseCheckAt is not null)
        {
            wallet.Row.QueueReleaseCheckAt = null;
            SaveWallet(wallet);
        }
        if (released > 0) CheckThresholds(account, wallet, at);
        return released;
    }

    /// <summary>
    /// R10 after every change of a wallet's remaining. Auto-renew on: at 10% or below of the last purchase,
    /// plan one purchase of the same pack. Off: one alert per threshold crossed (15%, 5%, 0), the most
    /// severe when several are crossed at once. Thresholds re-arm when the remaining rises above them.
    /// </summary>
    public void CheckThresholds(AccountState account, WalletState wallet, DateTimeOffset at)
    {
        var row = wallet.Row;
        var last = row.LastPurchaseCredits;
        if (last <= 0) return;
        var total = wallet.Total;
        var changed = false;

        if (row.AutoRenew)
        {
            var low = BalanceThresholds.AtOrBelow(total, last, Options.AutoRenewThresholdPercent);
            if (!low && !row.AutoRenewArmed) { row.AutoRenewArmed = true; changed = true; }
            else if (low && row.AutoRenewArmed && !wallet.HasPendingAutoRenew && row.LastPurchasePackId is { } pack)
            {
                Store.InsertAttempt.ExecuteLong(account.Id, wallet.Id, wallet.Channel, pack, 1, at, at);
                wallet.HasPendingAutoRenew = true;
                row.AutoRenewArmed = false;
                changed = true;
                DueSooner = true;
            }
        }
        else
        {
            var armed = row.ArmedAlerts;
            AlertKind? fire = null;
            foreach (var (kind, percent, bit) in BalanceThresholds.Alerts)
            {
                if (BalanceThresholds.AtOrBelow(total, last, percent))
                {
                    if ((armed & bit) != 0 && fire is null) fire = kind;
                    armed &= ~bit;
                }
                else
                {
                    armed |= bit;
                }
            }
            if (fire is { } alert)
                RaiseAlert(account, wallet.Channel, alert, at, LowBalanceText(alert, wallet.Channel, total, last));
            if (armed != row.ArmedAlerts) { row.ArmedAlerts = armed; changed = true; }
        }
        if (changed) SaveWallet(wallet);
    }

    public void RaiseAlert(AccountState account, Channel channel, AlertKind kind, DateTimeOffset at, string detail)
    {
        Store.AddAlert(new Alert
        {
            AccountId = account.Id, Channel = channel, Kind = kind, At = at, Detail = detail,
            Recipients = string.Join(",", account.Row.BillingContacts),
        });
        AlertRaised = true;
    }

    private static string LowBalanceText(AlertKind kind, Channel channel, long total, long last) => kind switch
    {
        AlertKind.Depleted => $"Your {channel} credits are used up (last purchase: {PortalFormat.Credits(last)}).",
        _ => $"Your {channel} credits are down to {PortalFormat.Credits(total)}, {(kind == AlertKind.LowBalance5 ? "5%" : "15%")} or less of your last purchase of {PortalFormat.Credits(last)}.",
    };
}
