using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The ledger's rows that are not balance movements: accounts, wallets, lists, consumptions as requests, orders
/// and auto-renew attempts. Each operation stores the row and keeps the in-memory account in step.
/// </summary>
public sealed class LedgerRecords
{
    private readonly LedgerSession _session;
    private readonly LedgerStore _store;

    internal LedgerRecords(LedgerSession session, LedgerStore store)
    {
        _session = session;
        _store = store;
    }

    // ---- accounts and wallets ----

    /// <summary>Stores a new account with its two wallets (plan Packs) and opens it for the command.</summary>
    public AccountState AddAccount(Account row)
    {
        row.NextDueAt = row.NextTopUpAt;
        row.Id = _store.Accounts.Insert(row);
        foreach (var channel in new[] { Channel.Email, Channel.Sms })
            _store.Wallets.Insert(new Wallet { AccountId = row.Id, Channel = channel, Plan = Plan.Packs });
        return _session.Load(row.Id)!;
    }

    public void SaveAccount(AccountState account)
    {
        account.Row.NextDueAt = _session.Due.NextDue(account);
        _store.Accounts.Update(account.Row);
        account.PersistedNextDueAt = account.Row.NextDueAt;
    }

    public void SaveWallet(WalletState wallet) => _store.Wallets.Update(wallet.Row);

    /// <summary>Keeps Accounts.NextDueAt (what the scheduler queries) equal to the account's next event.</summary>
    internal void SaveNextDue(AccountState account)
    {
        var next = _session.Due.NextDue(account);
        account.Row.NextDueAt = next;
        if (next == account.PersistedNextDueAt) return;
        if (next is { } n && (account.PersistedNextDueAt is not { } before || n < before)) _session.Effects.DueSooner = true;
        _store.Accounts.SetNextDue(account.Id, next);
        account.PersistedNextDueAt = next;
    }

    // ---- lists ----

    /// <summary>A new list, Shared with no cap on both channels.</summary>
    public long AddList(AccountState account, string name)
    {
        var id = _store.Lists.Insert(new CreditList { AccountId = account.Id, Name = name, CreatedAt = _session.Now });
        account.ListNames[id] = name;
        foreach (var wallet in account.Wallets)
        {
            var list = new ListAllocationState { ListId = id, Mode = AllocationMode.Shared };
            _store.ListChannels.Insert(new ListChannelSettings
            {
                ListId = id, Channel = wallet.Channel, AccountId = account.Id, Mode = list.Mode, Assigned = 0, CapEnabled = false, CapPerMonth = null,
            });
            wallet.Lists[id] = list;
        }
        return id;
    }

    public void RenameList(AccountState account, long listId, string name)
    {
        _store.Lists.Rename(listId, name);
        account.ListNames[listId] = name;
    }

    /// <summary>Stores a list's mode and cap as the in-memory state holds them (the assignment moves only by postings).</summary>
    public void SaveListSettings(WalletState wallet, ListAllocationState list)
        => _store.ListChannels.SetModeAndCap(list.ListId, wallet.Channel, list.Mode, list.CapEnabled, list.CapPerMonth);

    // ---- consumptions ----

    /// <summary>The first answer recorded for the account's idempotency key, or null.</summary>
    internal ConsumptionsTable.FirstAnswer? FindConsumption(long accountId, string idempotencyKey)
        => _store.Consumptions.FindByKey(accountId, idempotencyKey);

    /// <summary>Records the decision on a queued consumption that did not go (R9: cancelled by the owner).</summary>
    public void DecideConsumption(long consumptionId, ConsumptionStatus status, string? reason, DateTimeOffset at)
        => _store.Consumptions.Decide(consumptionId, status, reason, at, false);

    /// <summary>Stores a decided or queued consumption and returns its id.</summary>
    public long AddConsumption(Consumption consumption) => _store.Consumptions.Insert(consumption);

    // ---- holds (issue #17) ----

    /// <summary>Stores a new hold and returns its id.</summary>
    public long AddHold(Hold hold) => hold.Id = _store.Holds.Insert(hold);

    public Hold? FindHold(long accountId, long holdId) => _store.Holds.Find(accountId, holdId);

    /// <summary>The hold placed under the account's idempotency key, or null.</summary>
    public Hold? FindHoldByKey(long accountId, string idempotencyKey) => _store.Holds.FindByKey(accountId, idempotencyKey);

    /// <summary>Records how the hold ended (nothing is held any more).</summary>
    public void EndHold(Hold hold, HoldStatus status, DateTimeOffset at, long? capturedQuantity, long? consumptionId, Actor by)
    {
        hold.Status = status;
        hold.Held = 0;
        hold.EndedAt = at;
        hold.CapturedQuantity = capturedQuantity;
        hold.ConsumptionId = consumptionId;
        hold.EndedBy = by.ToString();
        _store.Holds.End(hold.Id, status, at, capturedQuantity, consumptionId, hold.EndedBy);
    }

    // ---- support adjustments ----

    /// <summary>R11: the Adjustment lot an earlier grant stored under <paramref name="source"/> (its idempotency key), or null.</summary>
    public (long Id, Channel Channel, long Quantity, DateTimeOffset? ExpiresAt)? FindAdjustment(long accountId, string source)
        => _store.Lots.FindBySource(accountId, LotKind.Adjustment, source);

    // ---- orders ----

    public Order? FindOrder(long orderId) => _store.Orders.Find(orderId);

    /// <summary>R7: a plan order of the wallet that is Pending or RequiresAction, if any.</summary>
    public long? PlanOrderInFlight(long walletId) => _store.Orders.PlanOrderInFlight(walletId);

    public Order? FindOrder(long accountId, string idempotencyKey)
        => _store.Orders.FindByKey(accountId, idempotencyKey) is { } id ? _store.Orders.Find(id) : null;

    /// <summary>Stores a new order and returns it as stored.</summary>
    public Order AddOrder(Order order)
    {
        order.Id = _store.Orders.Insert(order);
        return order;
    }

    public void SaveOrder(Order order) => _store.Orders.Update(order);

    // ---- auto-renew attempts (R10) ----

    public AutoRenewAttempt? FindAttempt(long attemptId) => _store.AutoRenewAttempts.Find(attemptId);

    public void SetAttemptStatus(AutoRenewAttempt attempt, AutoRenewAttemptStatus status, long? orderId)
    {
        _store.AutoRenewAttempts.SetStatus(attempt.Id, status, orderId);
        attempt.Status = status;
        attempt.OrderId = orderId;
    }

    /// <summary>R7: plans the charge of a paid plan's cycle <paramref name="cycleIndex"/> on the saved card at <paramref name="dueAt"/>.</summary>
    public void PlanRenewal(AccountState account, WalletState wallet, Plan plan, int cycleIndex, int attempt, DateTimeOffset dueAt, DateTimeOffset createdAt)
    {
        _store.AutoRenewAttempts.Insert(new AutoRenewAttempt
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, PackId = "", Plan = plan, CycleIndex = cycleIndex,
            Attempt = attempt, DueAt = dueAt, Status = AutoRenewAttemptStatus.Pending, OrderId = null, CreatedAt = createdAt,
        });
        _session.Effects.DueSooner = true;
    }

    /// <summary>R7/R10: after the owner updated the card, the account's renewals waiting for a retry are due now; returns how
    /// many. The scheduler is not woken: the card update charges them itself right after this commit (Orders/CardUpdates), and
    /// should it not get there, they are due and the scheduler's next round finds them.</summary>
    public int RetryRenewalsNow(AccountState account, DateTimeOffset now) => _store.AutoRenewAttempts.DueNow(account.Id, now);

    /// <summary>Plans an auto-renew purchase of <paramref name="packId"/> at <paramref name="dueAt"/>; the scheduler is woken after commit.</summary>
    public void PlanAutoRenew(AccountState account, WalletState wallet, string packId, int attempt, DateTimeOffset dueAt, DateTimeOffset createdAt)
    {
        _store.AutoRenewAttempts.Insert(new AutoRenewAttempt
        {
            AccountId = account.Id, WalletId = wallet.Id, Channel = wallet.Channel, PackId = packId, Attempt = attempt, DueAt = dueAt,
            Status = AutoRenewAttemptStatus.Pending, OrderId = null, CreatedAt = createdAt,
        });
        wallet.HasPendingAutoRenew = true;
        _session.Effects.DueSooner = true;
    }
}
