using System.Globalization;
using CreditPortal.Formatting;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The balance movements. Each one writes its ledger entries and its rows and updates the in-memory state in
/// the same step, so the state and the database never tell different stories, and the ledger check can rebuild
/// every lot, wallet and assignment from the entries alone.
/// </summary>
public sealed class LedgerPostings
{
    private readonly LedgerSession _session;
    private readonly LedgerStore _store;

    internal LedgerPostings(LedgerSession session, LedgerStore store)
    {
        _session = session;
        _store = store;
    }

    /// <summary>New credits arrive as a lot (top-up, plan, purchase, refill, adjustment).</summary>
    public LotState GrantLot(AccountState account, WalletState wallet, LotKind kind, long quantity, DateTimeOffset? expiresAt,
        string source, long? orderId, LedgerEntryKind entryKind, Actor actor, string? reason, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        // Issue #17: a reminder whose day is already behind the new lot is not sent (the lot only just arrived).
        var reminded = ExpiryReminders.PassedAt(expiresAt, at, _session.ReminderThresholds);
        var id = _store.Lots.Insert(new Lot
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, Kind = kind, Quantity = quantity, Remaining = quantity,
            ExpiresAt = expiresAt, ExpiredAt = null, CreatedAt = at, Source = source, OrderId = orderId, RemindedDaysBefore = reminded,
        });
        var lot = new LotState
        {
            Id = id, WalletId = wallet.Id, Kind = kind, Quantity = quantity, Remaining = quantity, ExpiresAt = expiresAt, CreatedAt = at,
            RemindedDaysBefore = reminded,
        };
        wallet.AddLot(lot);
        _store.Entries.Insert(new LedgerEntry
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
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Expiry,
                Quantity = -split.FromUnassigned, LotId = lot.Id, Actor = actor, Reason = $"{lot.Kind} lot expired", Detail = "from the unassigned pool",
            });
        }
        foreach (var (listId, amount) in split.FromLists)
        {
            var list = wallet.List(listId);
            _store.ListChannels.AddToAssigned(listId, wallet.Channel, -amount);
            list.Assigned -= amount;
            wallet.AssignedSum -= amount;
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Expiry,
                Quantity = -amount, AssignedDelta = -amount, LotId = lot.Id, ListId = listId, Actor = actor,
                Reason = $"{lot.Kind} lot expired", Detail = "from the list's assignment",
            });
        }
        _store.Lots.Draw(lot.Id, lot.Remaining);
        _store.Lots.MarkExpired(lot.Id, at);
        wallet.Total -= lot.Remaining;
        lot.Remaining = 0;
        wallet.Lots.Remove(lot);
    }

    /// <summary>
    /// R3: the lot now expires at <paramref name="newExpiry"/> (a new SMS pack extends it); no credits move, but
    /// the ledger says when and why.
    /// </summary>
    public void ExtendExpiry(AccountState account, WalletState wallet, LotState lot, DateTimeOffset newExpiry, long orderId)
        => MoveExpiry(account, wallet, lot, newExpiry, LedgerEntryKind.ExpiryExtended, orderId, "new SMS pack extends expiry");

    /// <summary>Moves a lot's expiry (earlier or later) with a quantity-0 entry naming the old and new instants; the caller
    /// re-sorts the wallet's lots (R1 order depends on expiry).</summary>
    public void MoveExpiry(AccountState account, WalletState wallet, LotState lot, DateTimeOffset newExpiry, LedgerEntryKind kind, long? orderId,
        string reason)
    {
        var old = lot.ExpiresAt;
        // Issue #17: the new expiry gets its own reminders (those already behind it at this instant excepted).
        var reminded = ExpiryReminders.PassedAt(newExpiry, _session.Now, _session.ReminderThresholds);
        _store.Lots.SetExpiry(lot.Id, newExpiry, reminded);
        lot.ExpiresAt = newExpiry;
        lot.RemindedDaysBefore = reminded;
        _store.Entries.Insert(new LedgerEntry
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = _session.Now, Kind = kind,
            Quantity = 0, LotId = lot.Id, OrderId = orderId, Actor = Actor.System.ToString(), Reason = reason,
            Detail = $"{old?.ToString("O", CultureInfo.InvariantCulture)} → {newExpiry.ToString("O", CultureInfo.InvariantCulture)}",
        });
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
        _store.ListChannels.AddToAssigned(list.ListId, wallet.Channel, delta);
        list.Assigned += delta;
        wallet.AssignedSum += delta;
        _store.Entries.Insert(new LedgerEntry
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = _session.Now, Kind = LedgerEntryKind.AllocationChange,
            Quantity = 0, AssignedDelta = delta, ListId = list.ListId, Actor = actor.ToString(), Reason = reason, Detail = detail,
        });
    }

    /// <summary>
    /// Draws an accepted consumption's credits from the lots in R1 order (from the list's assignment when
    /// Assigned), one ledger entry per lot. On Pro nothing is drawn and one entry says so (R7). Returns the
    /// credits drawn.
    /// </summary>
    public long DrawForConsumption(AccountState account, WalletState wallet, ListAllocationState list, long consumptionId, long credits,
        DateTimeOffset at, Actor actor)
    {
        if (wallet.Row.Plan == Plan.Pro)
        {
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Consumption,
                Quantity = 0, ListId = list.ListId, ConsumptionId = consumptionId, Actor = actor.ToString(),
                Detail = $"Pro plan: {credits} credits unmetered",
            });
            return 0;
        }

        var fromAssignment = list.Mode == AllocationMode.Assigned;
        foreach (var (lot, take) in ConsumptionOrder.Draws(wallet.Lots, credits))
        {
            _store.Lots.Draw(lot.Id, take);
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Consumption,
                Quantity = -take, AssignedDelta = fromAssignment ? -take : 0, LotId = lot.Id, ListId = list.ListId,
                ConsumptionId = consumptionId, Actor = actor.ToString(),
            });
            lot.Remaining -= take;
        }
        wallet.Lots.RemoveAll(l => l.Remaining == 0);
        if (fromAssignment)
        {
            _store.ListChannels.AddToAssigned(list.ListId, wallet.Channel, -credits);
            list.Assigned -= credits;
            wallet.AssignedSum -= credits;
        }
        wallet.Total -= credits;
        return credits;
    }
    // ---- holds (issue #17; docs/domain.md §6, "Holds") ----

    /// <summary>
    /// Reserves the hold's credits: drawn from the lots in R1 order like a send (from the list's assignment when it is
    /// Assigned), but into the hold instead of out of the wallet. One <c>Hold</c> entry per lot (Quantity −, HeldDelta +).
    /// </summary>
    public HoldState PlaceHold(AccountState account, WalletState wallet, ListAllocationState list, Hold row, Actor actor)
    {
        var hold = new HoldState(row);
        var at = row.CreatedAt;
        foreach (var (lot, take) in ConsumptionOrder.Draws(wallet.Lots, row.Credits))
        {
            _store.Lots.MoveToHeld(lot.Id, take);
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Hold,
                Quantity = -take, HeldDelta = take, AssignedDelta = row.FromAssignment ? -take : 0, LotId = lot.Id, ListId = list.ListId,
                HoldId = row.Id, Actor = actor.ToString(), Detail = $"hold {row.Id} until {row.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)}",
            });
            lot.Remaining -= take;
            hold.Parts.Add(new HoldPart(lot, take));
        }
        wallet.Lots.RemoveAll(l => l.Remaining == 0);
        if (row.FromAssignment)
        {
            _store.ListChannels.AddToAssigned(list.ListId, wallet.Channel, -row.Credits);
            list.Assigned -= row.Credits;
            wallet.AssignedSum -= row.Credits;
        }
        wallet.Total -= row.Credits;
        wallet.Held += row.Credits;
        list.HeldMessages += row.Quantity;
        account.Holds[row.Id] = hold;
        return hold;
    }

    /// <summary>
    /// A capture spends <paramref name="credits"/> of what the hold holds, in the order it was placed: one <c>Consumption</c>
    /// entry per lot with Quantity 0 and HeldDelta − (the credits left the wallet when they were held; what the consumption
    /// drew is what left the hold, which the ledger check counts).
    /// </summary>
    public void SpendHeld(AccountState account, WalletState wallet, HoldState hold, long consumptionId, long credits, DateTimeOffset at, Actor actor)
    {
        if (credits > hold.Held) throw new InvalidOperationException("A capture cannot spend more than the hold holds.");
        var left = credits;
        foreach (var part in hold.Parts)
        {
            if (left == 0) break;
            var take = Math.Min(left, part.Held);
            if (take == 0) continue;
            _store.Lots.SpendHeld(part.Lot.Id, take);
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Consumption,
                Quantity = 0, HeldDelta = -take, LotId = part.Lot.Id, ListId = hold.Row.ListId, ConsumptionId = consumptionId, HoldId = hold.Id,
                Actor = actor.ToString(), Detail = $"captured from hold {hold.Id}",
            });
            part.Held -= take;
            left -= take;
        }
        hold.Row.Held -= credits;
        wallet.Held -= credits;
    }

    /// <summary>
    /// Everything the hold still holds goes back, at <paramref name="at"/>: to the list's assignment when it came from it
    /// and the list is still Assigned, else to the unassigned pool. One <c>HoldReleased</c> entry per lot. The held part
    /// of a lot that has reached its end meanwhile expires at the release: an <c>Expiry</c> entry follows at once, taking
    /// it from where it went back to (the hold kept it alive, never longer). The hold leaves the account's active holds.
    /// </summary>
    public void ReleaseHold(AccountState account, WalletState wallet, HoldState hold, DateTimeOffset at, Actor actor, string why)
    {
        var row = hold.Row;
        var list = wallet.List(row.ListId);
        var toList = row.FromAssignment && list.Mode == AllocationMode.Assigned;
        foreach (var part in hold.Parts)
        {
            var take = part.Held;
            if (take == 0) continue;
            var lot = part.Lot;
            var ended = lot.ExpiresAt is { } end && end <= at;
            _store.Entries.Insert(new LedgerEntry
            {
                AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.HoldReleased,
                Quantity = take, HeldDelta = -take, AssignedDelta = toList ? take : 0, LotId = lot.Id, ListId = row.ListId, HoldId = row.Id,
                Actor = actor.ToString(), Reason = why, Detail = toList ? "back to the list's assignment" : "back to the unassigned pool",
            });
            if (ended)
            {
                _store.Lots.SpendHeld(lot.Id, take);
                _store.Entries.Insert(new LedgerEntry
                {
                    AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, At = at, Kind = LedgerEntryKind.Expiry,
                    Quantity = -take, AssignedDelta = toList ? -take : 0, LotId = lot.Id, ListId = toList ? row.ListId : null, HoldId = row.Id,
                    Actor = Actor.System.ToString(), Reason = $"{lot.Kind} lot expired",
                    Detail = $"held past the lot's end ({lot.ExpiresAt!.Value.ToString("O", CultureInfo.InvariantCulture)}), released by hold {row.Id}",
                });
            }
            else
            {
                _store.Lots.MoveToHeld(lot.Id, -take);
                if (lot.Remaining == 0)
                {
                    lot.Remaining = take;
                    wallet.AddLot(lot);
                }
                else
                {
                    lot.Remaining += take;
                    wallet.Total += take;
                }
                if (toList)
                {
                    _store.ListChannels.AddToAssigned(list.ListId, wallet.Channel, take);
                    list.Assigned += take;
                    wallet.AssignedSum += take;
                }
            }
            part.Held = 0;
        }
        wallet.Held -= row.Held;
        row.Held = 0;
        list.HeldMessages -= row.Quantity;
        account.Holds.Remove(row.Id);
    }
}
