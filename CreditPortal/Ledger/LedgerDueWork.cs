using CreditPortal.Data;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;

namespace CreditPortal.Ledger;

/// <summary>
/// The ledger's scheduled events (expiries, month-start top-ups, plan cycles, queue releases). Finds the
/// accounts with something due through <see cref="Account.NextDueAt"/> and lets the writer run each one's
/// events in order, in batches so a jump over months for many accounts commits in large transactions.
/// </summary>
public sealed class LedgerDueWork(LedgerWriter writer, PortalDatabase database) : IDueWork
{
    private const int AccountsPerCommand = 50;

    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var due = await DueAccountsAsync(upTo, cancellationToken);
            if (due.Count == 0) return total;
            var ran = 0;
            foreach (var chunk in due.Chunk(AccountsPerCommand))
            {
                ran += await writer.RunAsync(s =>
                {
                    var count = 0;
                    foreach (var id in chunk)
                        if (s.Load(id) is { } account) count += s.Due.Run(account, upTo);
                    return count;
                });
            }
            total += ran;
            if (ran == 0) return total;
        }
    }

    // Hand-written, prepared by the statement tests; IX_Accounts_NextDueAt serves both.
    internal const string NextDueSql = """SELECT MIN("NextDueAt") FROM "Accounts" """;

    internal const string DueAccountsSql = """
        SELECT "Id" FROM "Accounts" WHERE "NextDueAt" <= @upTo ORDER BY "NextDueAt" LIMIT 1000
        """;

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => database.ReadInstantAsync(NextDueSql, cancellationToken);

    private Task<List<long>> DueAccountsAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
        => database.ReadIdsAsync(DueAccountsSql, cancellationToken, ("@upTo", StoredValues.Instant(upTo)));
}
