using CreditPortal.Ledger.State;
using System.Data.Common;

namespace CreditPortal.Ledger.Storage;

/// <summary>
/// Everything the ledger writer stores and reads, on its own connection: one typed statement per operation,
/// grouped by table (one class per table holds that table's SQL, its columns and their values). Nothing else
/// writes the ledger's tables; pages and the API read them through EF Core. Column names are EF Core's (see
/// Data/LedgerConfigurations.cs); the statement tests prepare every statement here against a freshly migrated
/// database, so a renamed column fails a test instead of a customer's request. The consumption path's rows wait
/// for the batch and are written many per statement (<see cref="WriteScope"/>).
/// </summary>
internal sealed class LedgerStore : IDisposable
{
    private readonly StatementSet _statements;
    private readonly WriteScope _scope = new();
    private readonly SqlStatement _begin, _commit, _rollback;

    public LedgerStore(DbConnection connection)
    {
        _statements = new StatementSet(connection, _scope);
        Accounts = new AccountsTable(_statements);
        Wallets = new WalletsTable(_statements);
        Lots = new LotsTable(_statements);
        Lists = new ListsTable(_statements);
        ListChannels = new ListChannelsTable(_statements);
        Consumptions = new ConsumptionsTable(_statements);
        Entries = new LedgerEntriesTable(_statements);
        DailyUsage = new DailyUsageTable(_statements);
        Orders = new OrdersTable(_statements);
        AutoRenewAttempts = new AutoRenewAttemptsTable(_statements);
        Alerts = new AlertsTable(_statements);
        AuditEntries = new AuditEntriesTable(_statements);
        ScheduledEvents = new ScheduledEventsTable(_statements);
        ApiKeyUsage = new ApiKeyUsageTable(_statements);
        Holds = new HoldsTable(_statements);

        // Prepared once: parsing these anew per command showed as ~12% of the writer's time. PostgreSQL spells
        // the first one BEGIN (a write transaction starts at its first write there); the others read the same.
        _begin = _statements.PrepareUnhooked("Transaction.Begin", _statements.Dialect.BeginWrite);
        _commit = _statements.PrepareUnhooked("Transaction.Commit", "COMMIT");
        _rollback = _statements.PrepareUnhooked("Transaction.Rollback", "ROLLBACK");
        _scope.UseSavepoints(
            _statements.PrepareUnhooked("Transaction.Savepoint", "SAVEPOINT command"),
            _statements.PrepareUnhooked("Transaction.Release", "RELEASE SAVEPOINT command"),
            _statements.PrepareUnhooked("Transaction.RollbackToSavepoint", "ROLLBACK TO SAVEPOINT command"));
    }

    public AccountsTable Accounts { get; }
    public WalletsTable Wallets { get; }
    public LotsTable Lots { get; }
    public ListsTable Lists { get; }
    public ListChannelsTable ListChannels { get; }
    public ConsumptionsTable Consumptions { get; }
    public LedgerEntriesTable Entries { get; }
    public DailyUsageTable DailyUsage { get; }
    public OrdersTable Orders { get; }
    public AutoRenewAttemptsTable AutoRenewAttempts { get; }
    public AlertsTable Alerts { get; }
    public AuditEntriesTable AuditEntries { get; }
    public ScheduledEventsTable ScheduledEvents { get; }
    public ApiKeyUsageTable ApiKeyUsage { get; }
    public HoldsTable Holds { get; }

    /// <summary>Every statement prepared here (the statement tests list them).</summary>
    public IReadOnlyList<SqlStatement> Statements => _statements.All;

    // ---- the batch's transaction and its commands (called by LedgerWriter) ----

    /// <param name="isolated">Every command writes its own rows in its own savepoint (see <see cref="WriteScope"/>).</param>
    public void BeginBatch(bool isolated)
    {
        _scope.BeginBatch(isolated);
        _begin.Execute();
    }

    public void BeginCommand() => _scope.BeginCommand();

    public void EndCommand() => _scope.EndCommand();

    /// <summary>The command failed: its changes are undone, the earlier commands' kept.</summary>
    public void AbandonCommand() => _scope.AbandonCommand();

    /// <summary>Writing several commands' rows together failed: the batch must be rolled back and run again isolated.</summary>
    public bool BatchFailed => _scope.Failed;

    /// <summary>Writes every deferred row and commits: the batch is durable when this returns.</summary>
    public void Commit()
    {
        _scope.WriteDeferred();
        _commit.Execute();
        _scope.EndBatch();
    }

    public void Rollback()
    {
        _scope.EndBatch();
        _rollback.Execute();
    }

    /// <summary>Reads one account completely into writer state: wallets, active lots in R1 order, lists, allocations
    /// and the queue.</summary>
    public AccountState? ReadAccount(long accountId)
    {
        var account = Accounts.Find(accountId);
        if (account is null) return null;
        var wallets = Wallets.OfAccount(accountId).ToDictionary(w => w.Channel, w => new WalletState(w));
        var state = new AccountState(account, wallets[Channel.Email], wallets[Channel.Sms]);
        var byId = state.Wallets.ToDictionary(w => w.Id);

        foreach (var lot in Lots.ActiveOfAccount(accountId)) byId[lot.WalletId].AddLot(lot);
        Lists.ReadNames(accountId, state.ListNames);
        foreach (var settings in ListChannels.OfAccount(accountId))
        {
            var wallet = state.Wallet(settings.Channel);
            wallet.Lists[settings.ListId] = new ListAllocationState
            {
                ListId = settings.ListId, Mode = settings.Mode, Assigned = settings.Assigned, CapEnabled = settings.CapEnabled,
                CapPerMonth = settings.CapPerMonth,
            };
            wallet.AssignedSum += settings.Assigned;
        }
        foreach (var (walletId, queued) in Consumptions.QueuedOfAccount(accountId)) byId[walletId].Queue.AddLast(queued);
        foreach (var wallet in state.Wallets) wallet.HasPendingAutoRenew = AutoRenewAttempts.AnyPending(wallet.Id);
        ReadHolds(state);
        return state;
    }

    /// <summary>Issue #17: the account's active holds with what they hold of each lot. An account without holds costs one
    /// statement here, when it is loaded; its sends cost nothing more.</summary>
    private void ReadHolds(AccountState state)
    {
        var holds = Holds.ActiveOfAccount(state.Id);
        if (holds.Count == 0) return;
        var lots = state.Wallets.SelectMany(w => w.Lots).ToDictionary(l => l.Id);
        foreach (var lot in Lots.HeldOfAccount(state.Id)) lots.TryAdd(lot.Id, lot);
        var byId = new Dictionary<long, HoldState>();
        foreach (var row in holds)
        {
            var hold = new HoldState(row);
            byId[row.Id] = hold;
            state.Holds[row.Id] = hold;
            var wallet = state.Wallet(row.Channel);
            wallet.Held += row.Held;
            if (wallet.Lists.TryGetValue(row.ListId, out var list)) list.HeldMessages += row.Quantity;
        }
        foreach (var (holdId, lotId, held) in Holds.PartsOfAccount(state.Id))
            byId[holdId].Parts.Add(new HoldPart(lots[lotId], held));
        foreach (var hold in byId.Values) hold.Parts.Sort((a, b) => Rules.ConsumptionOrder.Instance.Compare(a.Lot, b.Lot));
    }

    /// <summary>Messages sent per (list, channel) in the local month [<paramref name="monthStart"/>, <paramref name="monthEnd"/>),
    /// and per channel on <paramref name="day"/>.</summary>
    public void ReadUsage(AccountState state, DateOnly monthStart, DateOnly monthEnd, DateOnly day)
    {
        foreach (var wallet in state.Wallets)
        {
            wallet.SentToday = 0;
            foreach (var list in wallet.Lists.Values) list.SentThisMonth = 0;
        }
        foreach (var (listId, channel, date, messages) in DailyUsage.MessagesBetween(state.Id, monthStart, monthEnd))
        {
            var wallet = state.Wallet(channel);
            if (wallet.Lists.TryGetValue(listId, out var list)) list.SentThisMonth += messages;
            if (date == day) wallet.SentToday += messages;
        }
    }

    public void Dispose() => _statements.Dispose();
}
