using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;

namespace CreditPortal.Orders;

/// <summary>
/// Finishes orders left Pending by a crash between "order recorded" and "payment booked": it asks the
/// provider again with the same key (which never charges twice) and books the answer.
/// It runs in its own loop, not in the <see cref="Scheduler"/>: asking the payment provider may hang or fail
/// for as long as the provider is down, and that must never hold up expiries, top-ups or queue releases.
/// An order whose account fails is set aside; the provider being unreachable sets recovery as a whole aside
/// (<see cref="SetAsideWork"/>), and it is tried again after the backoff.
/// </summary>
public sealed class PendingOrderRecovery(OrderService orders, LedgerWriter writer, PortalDatabase database, SetAsideWork setAside,
    ILogger<PendingOrderRecovery> logger) : BackgroundService
{
    public const string Kind = "order recovery";
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    /// <summary>Recovers every stranded order it may try now; returns how many were booked.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken = default)
    {
        if (setAside.IsWaiting(Kind)) return 0;
        var recovered = 0;
        try
        {
            foreach (var (id, accountId) in await StrandedAsync(cancellationToken))
                recovered += await setAside.RunAsync(Kind, accountId, () => RecoverAsync(id, cancellationToken)) ?? 0;
            setAside.Succeeded(Kind);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            setAside.Failed(Kind, null, error);
        }
        return recovered;
    }

    private async Task<int> RecoverAsync(long orderId, CancellationToken cancellationToken)
    {
        var order = await writer.RunAsync(s => s.Records.FindOrder(orderId));
        if (order is null || order.Status != OrderStatus.Pending || orders.IsInFlight(orderId)) return 0;
        // Stranded: the provider may have charged it already, so the payment is looked up before anything is charged.
        await orders.PayAndBookAsync(order, lookUpFirst: true, cancellationToken);
        return 1;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var recovered = await RecoverAsync(stoppingToken);
                if (recovered > 0) logger.LogInformation("Recovered {Count} pending order(s)", recovered);
                await Task.Delay(Poll, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // Hand-written, prepared by the statement tests. @waiting: the accounts set aside, a JSON array of ids.
    internal static string StrandedSql(SqlDialect dialect) => $"""
        SELECT "Id", "AccountId" FROM "Orders" WHERE "Status" = {StoredValues.Literal(OrderStatus.Pending)}
        AND "AccountId" NOT IN ({dialect.IdsIn("@waiting")}) ORDER BY "Id" LIMIT 100
        """;

    private async Task<List<(long OrderId, long AccountId)>> StrandedAsync(CancellationToken cancellationToken)
        => (await database.ReadPairsAsync(StrandedSql(database.Dialect), cancellationToken, ("@waiting", setAside.WaitingJson(Kind))))
            .Where(o => !orders.IsInFlight(o.Item1)).ToList();
}
