using CreditPortal.Audit;
using CreditPortal.Clock;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Orders;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// What a ledger command sees while it runs on the writer: the clock's now, the accounts it opens (kept
/// in memory between commands), the SQL to record changes, and the configured rules. A command either
/// completes or is rolled back to its savepoint as a whole; the accounts it opened are then reloaded.
/// </summary>
public sealed partial class LedgerSession
{
    private readonly Dictionary<long, AccountState> _cache = [];
    private readonly HashSet<long> _touched = [];
    private readonly List<Action> _afterCommit = [];
    private readonly TimeProvider _clock;
    private const int CacheLimit = 20_000;

    internal LedgerSession(LedgerStore store, TimeProvider clock, CreditsOptions options)
    {
        Store = store;
        _clock = clock;
        Options = options;
        Pricing = new PlanPricing(options);
        Catalog = new PackCatalog(options);
        Rates = new SmsRates(options);
    }

    internal LedgerStore Store { get; }
    public CreditsOptions Options { get; }
    public PlanPricing Pricing { get; }
    public PackCatalog Catalog { get; }
    public SmsRates Rates { get; }

    /// <summary>The instant the current command runs at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Set when a change made a scheduled event due sooner (the scheduler is woken after commit).</summary>
    internal bool DueSooner { get; set; }

    /// <summary>Set when an alert was recorded (the mailer is woken after commit).</summary>
    internal bool AlertRaised { get; set; }

    // ---- command lifecycle (called by LedgerWriter) ----

    internal void BeginCommand()
    {
        Now = _clock.GetUtcNow();
        _touched.Clear();
    }

    /// <summary>Persists what the scheduler needs to find the touched accounts' next due event.</summary>
    internal void EndCommand()
    {
        foreach (var id in _touched)
            if (_cache.TryGetValue(id, out var account)) SaveNextDue(account);
    }

    /// <summary>The command failed and was rolled back: forget what it may have changed in memory.</summary>
    internal void AbandonCommand()
    {
        foreach (var id in _touched) _cache.Remove(id);
        _touched.Clear();
    }

    internal void AbandonAll() => _cache.Clear();

    internal IReadOnlyList<Action> TakeAfterCommit()
    {
        var actions = _afterCommit.ToList();
        _afterCommit.Clear();
        if (_cache.Count > CacheLimit) _cache.Clear();
        return actions;
    }

    public void AfterCommit(Action action) => _afterCommit.Add(action);

    // ---- accounts ----

    /// <summary>
    /// Loads an account for a command and first runs every scheduled event of it that is due by now, so
    /// a consumption never draws from a lot that should already have expired, whatever the scheduler's lag.
    /// </summary>
    public AccountState Open(long accountId)
    {
        var account = Load(accountId) ?? throw new LedgerNotFoundException($"Account {accountId}");
        RunDue(account, Now);
        return account;
    }

    /// <summary>Loads an account without running its due events (the scheduler's own entry point).</summary>
    internal AccountState? Load(long accountId)
    {
        if (!_cache.TryGetValue(accountId, out var account))
        {
            account = Store.LoadAccount(accountId);
            if (account is null) return null;
            _cache[accountId] = account;
        }
        _touched.Add(accountId);
        return account;
    }

    internal void Adopt(AccountState account)
    {
        _cache[account.Id] = account;
        _touched.Add(account.Id);
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
        Store.LoadUsage(account, monthFirst, monthFirst.AddMonths(1), day);
    }

    /// <summary>Forces the usage counters to be re-read (after a time zone change).</summary>
    internal static void ResetUsageWindow(AccountState account)
    {
        account.DayStart = account.DayEnd = account.MonthStart = account.MonthEnd = default;
    }

    public void Audit(AccountState account, Actor actor, string action, string? before, string? after, string? reason)
        => Store.AddAudit(new AuditEntry
        {
            AccountId = account.Id, At = Now, Actor = actor.ToString(), Action = action, Before = before, After = after, Reason = reason,
        });

    public void SaveWallet(WalletState wallet) => Store.SaveWallet(wallet.Row);

    public void SaveAccount(AccountState account)
    {
        account.Row.NextDueAt = NextDue(account);
        Store.SaveAccount(account.Row);
        account.PersistedNextDueAt = account.Row.NextDueAt;
    }

    /// <summary>Keeps Accounts.NextDueAt (what the scheduler queries) equal to the account's next event.</summary>
    private void SaveNextDue(AccountState account)
    {
        var next = NextDue(account);
        account.Row.NextDueAt = next;
        if (next == account.PersistedNextDueAt) return;
        if (next is { } n && (account.PersistedNextDueAt is not { } before || n < before)) DueSooner = true;
        Store.UpdateAccountNextDue.Execute(account.Id, next);
        account.PersistedNextDueAt = next;
    }

    internal static SqliteTransaction? NoTransaction => null;
}
