using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;

namespace CreditPortal.Orders;

/// <summary>
/// R10: runs due auto-renew attempts: buy the last pack again with the saved payment method; R7: charge a paid plan's
/// new cycle to the saved card (the same attempts, retries and exactly-once keys). An attempt that
/// fails on its account's own data sets that account aside; the payment provider being unreachable is a
/// <see cref="TransientFault"/> that sets auto-renew as a whole aside, so the other kinds of work go on.
/// </summary>
public sealed class AutoRenewWork(LedgerWriter writer, IPaymentProvider payments, PortalDatabase database, SetAsideWork setAside) : IDueWork
{
    public string Kind => "auto-renew";

    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var ran = 0;
        foreach (var (attemptId, accountId) in await DueAttemptsAsync(upTo, cancellationToken))
            ran += await setAside.RunAsync(Kind, accountId, () => RunAttemptAsync(attemptId)) ?? 0;
        return ran;
    }

    /// <summary>
    /// Runs one account's attempts due by <paramref name="upTo"/> now, in order (after the owner updated the card, the waiting
    /// renewal is retried at once rather than at the scheduler's next round); returns the orders they booked. Keyed like every
    /// attempt, so the scheduler running the same attempt meanwhile charges nothing twice.
    /// </summary>
    public async Task<IReadOnlyList<Order>> RunAccountAsync(long accountId, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var orders = new List<Order>();
        foreach (var (attemptId, account) in await DueAttemptsAsync(upTo, cancellationToken))
        {
            if (account != accountId) continue;
            await setAside.RunAsync(Kind, accountId, async () =>
            {
                if (await RunAttemptOrderAsync(attemptId) is { } order) orders.Add(order);
                return 1;
            });
        }
        return orders;
    }

    private async Task<int> RunAttemptAsync(long attemptId)
    {
        await RunAttemptOrderAsync(attemptId);
        return 1;
    }

    private async Task<Order?> RunAttemptOrderAsync(long attemptId)
    {
        var started = await writer.RunAsync(s => AutoRenewSteps.Start(s, attemptId));
        if (started is null) return null;
        var order = started.Order;
        var request = OrderService.RequestFor(order);
        // A resumed attempt may have been charged before the process stopped: look it up, never charge it blindly again.
        var payment = (started.Resumed ? await payments.FindAsync(request, CancellationToken.None) : null)
                      ?? await payments.ChargeAsync(request, CancellationToken.None);
        return await writer.RunAsync(s => AutoRenewSteps.Finish(s, attemptId, order.Id, payment));
    }

    // Hand-written, prepared by the statement tests (StoredValues gives the stored words). @waiting: the accounts
    // set aside (SetAsideWork), a JSON array of ids.
    internal static string NextDueSql(SqlDialect dialect) => $"""
        SELECT MIN("DueAt") FROM "AutoRenewAttempts" WHERE "Status" = {StoredValues.Literal(AutoRenewAttemptStatus.Pending)}
        AND "AccountId" NOT IN ({dialect.IdsIn("@waiting")})
        """;

    internal static string DueAttemptsSql(SqlDialect dialect) => $"""
        SELECT "Id", "AccountId" FROM "AutoRenewAttempts" WHERE "Status" = {StoredValues.Literal(AutoRenewAttemptStatus.Pending)} AND "DueAt" <= @upTo
        AND "AccountId" NOT IN ({dialect.IdsIn("@waiting")})
        ORDER BY "DueAt", "Id"
        """;

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => SetAsideWork.Earliest(await database.ReadInstantAsync(NextDueSql(database.Dialect), cancellationToken, ("@waiting", setAside.WaitingJson(Kind))),
            setAside.NextRetry(Kind));

    private Task<List<(long, long)>> DueAttemptsAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
        => database.ReadPairsAsync(DueAttemptsSql(database.Dialect), cancellationToken, ("@upTo", StoredValues.Instant(upTo)), ("@waiting", setAside.WaitingJson(Kind)));
}
