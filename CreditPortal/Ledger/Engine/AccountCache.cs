using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The accounts the writer keeps in memory between commands, and which ones the current command touched. A
/// command that fails is rolled back in the database, so the accounts it touched are forgotten and read again.
/// <para>With several instances on one PostgreSQL server, another instance's writer may have changed an account since
/// this one cached it. So the first time a batch touches an account, it takes the account's row lock and moves its
/// version on (<see cref="AccountsTable.Lock"/>, one statement): the lock makes any other writer that wants the account
/// wait until this batch commits, and a version that moved by more than this batch's own step means someone else
/// wrote: the cached copy is dropped and the account read again, under the lock. Two instances working on one account
/// are serialized by PostgreSQL; on different accounts they never wait for each other.</para>
/// </summary>
internal sealed class AccountCache(LedgerStore store)
{
    /// <summary>The accounts whose row lock the running batch holds (PostgreSQL).</summary>
    private readonly HashSet<long> _locked = [];

    /// <summary>Beyond this many accounts the cache starts again empty (after a commit), bounding its memory.</summary>
    private const int Limit = 20_000;

    private readonly Dictionary<long, AccountState> _accounts = [];
    private readonly HashSet<long> _touched = [];

    /// <summary>The accounts the current command loaded or changed.</summary>
    public IEnumerable<AccountState> Touched
    {
        get
        {
            foreach (var id in _touched)
                if (_accounts.TryGetValue(id, out var account)) yield return account;
        }
    }

    public AccountState? Get(long accountId)
    {
        long? version = null;
        if (store.Accounts.Locks && !_locked.Contains(accountId))
        {
            version = store.Accounts.Lock(accountId);
            if (version is null)
            {
                _accounts.Remove(accountId);
                return null;
            }
            _locked.Add(accountId);
            if (_accounts.TryGetValue(accountId, out var cached) && cached.Version != version - 1) _accounts.Remove(accountId);
        }
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            account = store.ReadAccount(accountId);
            if (account is null) return null;
            _accounts[accountId] = account;
        }
        if (version is { } current) account.Version = current;
        _touched.Add(accountId);
        return account;
    }

    /// <summary>Takes in an account the current command created.</summary>
    public void Add(AccountState account)
    {
        _accounts[account.Id] = account;
        _touched.Add(account.Id);
        // Its row is this batch's own insert: no other writer sees it before the commit.
        if (store.Accounts.Locks) _locked.Add(account.Id);
    }

    public void BeginCommand() => _touched.Clear();

    /// <summary>The command was rolled back: forget what it may have changed in memory.</summary>
    public void ForgetTouched()
    {
        foreach (var id in _touched)
        {
            _accounts.Remove(id);
            // Locked again (and read again) by the next command that wants it: a savepoint rolled back may have let go.
            _locked.Remove(id);
        }
        _touched.Clear();
    }

    public void ForgetAll()
    {
        _accounts.Clear();
        _locked.Clear();
    }

    /// <summary>The batch committed: its row locks are gone.</summary>
    public void TrimAfterCommit()
    {
        _locked.Clear();
        if (_accounts.Count > Limit) _accounts.Clear();
    }
}
