using CreditPortal.Audit;
using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>The append-only audit trail, written in the same transaction as the change it describes (R11).</summary>
public sealed class AuditTrail
{
    private readonly LedgerSession _session;
    private readonly LedgerStore _store;

    internal AuditTrail(LedgerSession session, LedgerStore store)
    {
        _session = session;
        _store = store;
    }

    /// <summary>Who did what to the account, now: before → after, and why.</summary>
    public void Record(AccountState account, Actor actor, string action, string? before, string? after, string? reason)
        => _store.AuditEntries.Insert(new AuditEntry
        {
            AccountId = account.Id, At = _session.Now, Actor = actor.ToString(), Action = action, Before = before, After = after, Reason = reason,
        });
}
