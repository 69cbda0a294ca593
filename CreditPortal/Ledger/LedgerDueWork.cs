using CreditPortal.Data;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;

namespace CreditPortal.Ledger;

/// <summary>
/// The ledger's scheduled events (expiries, month-start top-ups, plan cycles, queue releases). Finds the
/// accounts with something due through <see cref="Account.NextDueAt"/> and lets the writer run each one's
/// events in order. Each account is its own writer command (its own savepoint): one whose events throw is
/// rolled back alone and set aside (<see cref="SetAsideWork"/>), the others commit. The commands of a round
/// are queued together, so the writer still commits them in large group-commit transactions.
/// </summary>
public sealed class LedgerDueWork(LedgerWriter writer, PortalDatabase database, SetAsideWork setAside) : IDueWork
{
    private const int AccountsInFlight = 64;

    public string Kind => "ledger events";

    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var due = await DueAccountsAsync(upTo, cancellationToken);
            if (due.Count == 0) return total;
            var ran = 0;
            foreach (var chunk in due.Chunk(AccountsInFlight))
            {
                var results = await Task.WhenAll(chunk.Select(id => setAside.RunAsync(Kind, id,
                    () => writer.RunAsync(s => s.Load(id) is { } account ? s.Due.Run(account, upTo) : 0))));
                ran += results.Sum(r => r ?? 0);
            }
            total += ran;
            if (ran == 0) return total;
        }
    }

    // Hand-written, prepared by the statement tests; IX_Accounts_NextDueAt serves both (in index order, so the
    // first account not set aside ends the search). @waiting: the accounts set aside, a JSON array of ids.
    internal static string NextDueSql(SqlDialect dialect) => $"""
        SELECT "NextDueAt" FROM "Accounts" WHERE "NextDueAt" IS NOT NULL AND "Id" NOT IN ({dialect.IdsIn("@waiting")})
        ORDER BY "NextDueAt" LIMIT 1
        """;

    // Several instances on one PostgreSQL server: an account whose row another instance's writer holds right now is
    // skipped (SKIP LOCKED), that writer is running it; whichever writer runs a due event first records it, and the
    // event's unique key makes the other's run of it a no-op.
    internal static string DueAccountsSql(SqlDialect dialect) => $"""
        SELECT "Id" FROM "Accounts" WHERE "NextDueAt" <= @upTo AND "Id" NOT IN ({dialect.IdsIn("@waiting")})
        ORDER BY "NextDueAt" LIMIT 1000{dialect.ForUpdateSkipLocked}
        """;

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => SetAsideWork.Earliest(await database.ReadInstantAsync(NextDueSql(database.Dialect), cancellationToken, ("@waiting", setAside.WaitingJson(Kind))),
            setAside.NextRetry(Kind));

    private Task<List<long>> DueAccountsAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
        => database.ReadIdsAsync(DueAccountsSql(database.Dialect), cancellationToken, ("@upTo", StoredValues.Instant(upTo)), ("@waiting", setAside.WaitingJson(Kind)));
}
