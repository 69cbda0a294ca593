using CreditPortal.Data;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;

namespace CreditPortal.Orders;

/// <summary>
/// Finishes orders left Pending by a crash between "order recorded" and "payment booked": it asks the
/// provider again with the same key (which never charges twice) and books the answer.
/// </summary>
public sealed class PendingOrderRecovery(OrderService orders, LedgerWriter writer, PortalDatabase database) : IDueWork
{
    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var recovered = 0;
        foreach (var id in await StrandedAsync(cancellationToken))
        {
            var order = await writer.RunAsync(s => s.Records.FindOrder(id));
            if (order is null || order.Status != Ledger.OrderStatus.Pending) continue;
            await orders.PayAndBookAsync(order, cancellationToken);
            recovered++;
        }
        return recovered;
    }

    /// <summary>Due "now" whenever a stranded order exists.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => (await StrandedAsync(cancellationToken)).Count > 0 ? DateTimeOffset.MinValue : null;

    // Hand-written, prepared by the statement tests.
    internal static readonly string StrandedSql =
        $"""SELECT "Id" FROM "Orders" WHERE "Status" = {StoredValues.Literal(Ledger.OrderStatus.Pending)} ORDER BY "Id" LIMIT 100""";

    private async Task<List<long>> StrandedAsync(CancellationToken cancellationToken)
        => (await database.ReadIdsAsync(StrandedSql, cancellationToken))
            .Where(id => !orders.IsInFlight(id)).ToList();
}
