using CreditPortal.Data;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;
using Microsoft.Data.Sqlite;

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
            var order = await writer.RunAsync(s => s.Store.LoadOrder(id));
            if (order is null || order.Status != Ledger.OrderStatus.Pending) continue;
            await orders.PayAndBookAsync(order, cancellationToken);
            recovered++;
        }
        return recovered;
    }

    /// <summary>Due "now" whenever a stranded order exists.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => (await StrandedAsync(cancellationToken)).Count > 0 ? DateTimeOffset.MinValue : null;

    private async Task<List<long>> StrandedAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Orders WHERE Status = 'Pending' ORDER BY Id LIMIT 100";
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (!orders.IsInFlight(id)) ids.Add(id);
        }
        return ids;
    }
}
