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
    private readonly SqlStatement _lastAt;

    public AlertsTable(StatementSet statements)
    {
        _insert = statements.Insert<Alert>("Alerts", Columns);
        // Issue #17's cool-down: the latest alert of a kind for one wallet, through IX_Alerts_AccountId_At.
        _lastAt = statements.Prepare("Alerts.LastAt", """
            SELECT COALESCE(MAX("At"), 0) FROM "Alerts" WHERE "AccountId" = @account AND "Channel" = @channel AND "Kind" = @kind
            """);
    }

    public void Insert(Alert alert) => _insert.Insert(alert);

    /// <summary>When the account's last alert of <paramref name="kind"/> for <paramref name="channel"/> was raised, or null.</summary>
    public DateTimeOffset? LastAt(long accountId, Channel channel, AlertKind kind)
        => _lastAt.Set("@account", accountId).Set("@channel", channel).Set("@kind", kind).ExecuteInteger() is var ticks and > 0
            ? CreditPortal.Data.StoredValues.Instant(ticks) : null;
}
