using CreditPortal.Alerts;

namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statement on "Alerts": the outbox the mailer delivers from (Alerts/Alert.cs).</summary>
internal sealed class AlertsTable
{
    private static void Columns(ColumnValues c, Alert a) => c
        .Set("AccountId", a.AccountId)
        .Set("Channel", a.Channel)
        .Set("Kind", a.Kind)
        .Set("At", a.At)
        .Set("Detail", a.Detail)
        .Set("Recipients", a.Recipients)
        .Set("DeliveredAt", a.DeliveredAt)
        .Set("DeliveryError", a.DeliveryError)
        .Set("DeliveryAttempts", a.DeliveryAttempts)
        .Set("NextDeliveryAt", a.NextDeliveryAt);

    private readonly RowInsert<Alert> _insert;

    public AlertsTable(StatementSet statements) => _insert = statements.Insert<Alert>("Alerts", Columns);

    public void Insert(Alert alert) => _insert.Insert(alert);
}
