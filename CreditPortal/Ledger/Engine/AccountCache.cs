using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The accounts the writer keeps in memory between commands, and which ones the current command touched. A
/// command that fails is rolled back in the database, so the accounts it touched are forgotten and read again.
/// </summary>
internal sealed class AccountCache(LedgerStore store)
{
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
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            account = store.ReadAccount(accountId);
            if (account is null) return null;
            _accounts[accountId] = account;
        }
        _touched.Add(accountId);
        return account;
    }

    /// <summary>Takes in an account the current command created.</summary>
    public void Add(AccountState account)
    {
        _accounts[account.Id] = account;
        _touched.Add(account.Id);
    }

    public void BeginCommand() => _touched.Clear();

    /// <summary>The command was rolled back: forget what it may have changed in memory.</summary>
    public void ForgetTouched()
    {
        foreach (var id in _touched) _accounts.Remove(id);
        _touched.Clear();
    }

    public void ForgetAll() => _accounts.Clear();

    public void TrimAfterCommit()
    {
        if (_accounts.Count > Limit) _accounts.Clear();
    }
}
