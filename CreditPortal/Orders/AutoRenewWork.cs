using CreditPortal.Data;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Orders;

/// <summary>R10: runs due auto-renew attempts: buy the last pack again with the saved payment method.</summary>
public sealed class AutoRenewWork(LedgerWriter writer, IPaymentProvider payments, PortalDatabase database) : IDueWork
{
    public async Task<int> RunDueAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var ran = 0;
        foreach (var attemptId in await DueAttemptsAsync(upTo, cancellationToken))
        {
            var started = await writer.RunAsync(s => AutoRenewSteps.Start(s, attemptId));
            ran++;
            if (started is null) continue;
            var order = started.Order;
            var payment = await payments.ChargeAsync(new PaymentRequest(order.PaymentToken ?? "", order.Price, order.Currency,
                $"order-{order.Id}", $"CreditPortal auto-renew, order {order.Id}"), CancellationToken.None);
            await writer.RunAsync(s => AutoRenewSteps.Finish(s, attemptId, order.Id, payment));
        }
        return ran;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(DueAt) FROM AutoRenewAttempts WHERE Status = 'Pending'";
        return await command.ExecuteScalarAsync(cancellationToken) is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    private async Task<List<long>> DueAttemptsAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM AutoRenewAttempts WHERE Status = 'Pending' AND DueAt <= $upTo ORDER BY DueAt, Id";
        command.Parameters.AddWithValue("$upTo", upTo.UtcTicks);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
