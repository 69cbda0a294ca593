using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;
using CreditPortal.Orders;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// What a ledger command sees while it runs on the writer: the instant it runs at, the accounts it opens, the
/// configured rules, and the parts that change the ledger, each with its own reason to change:
/// <see cref="Postings"/> (balance movements and their entries), <see cref="Sends"/> (caps, limits and the queue),
/// <see cref="Alerts"/> (R10), <see cref="Due"/> (scheduled events), <see cref="Records"/> (the rows that are not
/// balance movements) and <see cref="Audit"/>. A command either completes or is rolled back as a whole; the
/// accounts it opened are then read again.
/// </summary>
public sealed class LedgerSession
{
    private readonly TimeProvider _clock;
    private readonly AccountCache _accounts;

    internal LedgerSession(LedgerStore store, TimeProvider clock, CreditsOptions options, LedgerOptions limits)
    {
        Limits = limits;
        _clock = clock;
        _accounts = new AccountCache(store);
        Effects = new CommitEffects();
        Options = options;
        Pricing = new PlanPricing(options);
        Catalog = new PackCatalog(options);
        Rates = new SmsRates(options);
        ReminderThresholds = ExpiryReminders.Thresholds(options.ExpiryReminderDays);
        Records = new LedgerRecords(this, store);
        Audit = new AuditTrail(this, store);
        Postings = new LedgerPostings(this, store);
        Alerts = new BalanceAlerts(this, store);
        Sends = new SendingRules(this, store);
        Due = new DueEvents(this, store);
    }

    public CreditsOptions Options { get; }

    /// <summary>The writer's limits per account (lists, queued sends, release chunk).</summary>
    public LedgerOptions Limits { get; }
    public PlanPricing Pricing { get; }
    public PackCatalog Catalog { get; }
    public SmsRates Rates { get; }

    /// <summary>Issue #17: days before an expiry that a reminder goes out, farthest first.</summary>
    public IReadOnlyList<int> ReminderThresholds { get; }

    public LedgerRecords Records { get; }
    public AuditTrail Audit { get; }
    public LedgerPostings Postings { get; }
    public BalanceAlerts Alerts { get; }
    public SendingRules Sends { get; }
    public DueEvents Due { get; }

    internal CommitEffects Effects { get; }

    /// <summary>The instant the current command runs at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>
    /// Loads an account for a command and first runs every scheduled event of it that is due by now, so
    /// a consumption never draws from a lot that should already have expired, whatever the scheduler's lag.
    /// </summary>
    public AccountState Open(long accountId)
    {
        var account = Load(accountId) ?? throw new LedgerNotFoundException($"Account {accountId}");
        Due.Run(account, Now);
        return account;
    }

    /// <summary>Loads an account without running its due events (the scheduler's own entry point).</summary>
    internal AccountState? Load(long accountId) => _accounts.Get(accountId);

    /// <summary>Takes in an account the current command created.</summary>
    internal void Adopt(AccountState account) => _accounts.Add(account);

    /// <summary>Runs <paramref name="action"/> once the batch holding this command is committed.</summary>
    public void AfterCommit(Action action) => Effects.Add(action);

    // ---- command lifecycle (called by LedgerWriter) ----

    internal void BeginCommand()
    {
        Now = _clock.GetUtcNow();
        _accounts.BeginCommand();
        Effects.BeginCommand();
    }

    /// <summary>Persists what the scheduler needs to find the touched accounts' next due event.</summary>
    internal void EndCommand()
    {
        foreach (var account in _accounts.Touched) Records.SaveNextDue(account);
    }

    /// <summary>The command failed and was rolled back: forget what it may have changed in memory.</summary>
    internal void AbandonCommand()
    {
        _accounts.ForgetTouched();
        Effects.DiscardCommand();
    }

    /// <summary>The batch failed: nothing of it is stored, so nothing of it may stay in memory.</summary>
    internal void AbandonBatch()
    {
        _accounts.ForgetAll();
        Effects.Discard();
    }

    internal void BatchCommitted() => _accounts.TrimAfterCommit();
}
