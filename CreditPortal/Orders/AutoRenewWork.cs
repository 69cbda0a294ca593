using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Scheduling;

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

    // Hand-written, prepared by the statement tests (StoredValues gives the stored words).
    internal static readonly string NextDueSql =
        $"""SELECT MIN("DueAt") FROM "AutoRenewAttempts" WHERE "Status" = {StoredValues.Literal(AutoRenewAttemptStatus.Pending)}""";

    internal static readonly string DueAttemptsSql = $"""
        SELECT "Id" FROM "AutoRenewAttempts" WHERE "Status" = {StoredValues.Literal(AutoRenewAttemptStatus.Pending)} AND "DueAt" <= @upTo
        ORDER BY "DueAt", "Id"
        """;

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
        => database.ReadInstantAsync(NextDueSql, cancellationToken);

    private Task<List<long>> DueAttemptsAsync(DateTimeOffset upTo, CancellationToken cancellationToken)
        => database.ReadIdsAsync(DueAttemptsSql, cancellationToken, ("@upTo", StoredValues.Instant(upTo)));
}
