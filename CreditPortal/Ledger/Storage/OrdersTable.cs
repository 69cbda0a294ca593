using CreditPortal.Orders;

namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "Orders" (Orders/Order.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class OrdersTable
{
    private static void Columns(ColumnValues c, Order o) => c
        .Set("AccountId", o.AccountId)
        .Set("WalletId", o.WalletId)
        .Set("Channel", o.Channel)
        .Set("Kind", o.Kind)
        .Set("PackId", o.PackId)
        .Set("Plan", o.Plan)
        .Set("SubscriberCount", o.SubscriberCount)
        .Set("MonthlyCredits", o.MonthlyCredits)
        .Set("Credits", o.Credits)
        .Set("Price", o.Price)
        .Set("Currency", o.Currency)
        .Set("Status", o.Status)
        .Set("IdempotencyKey", o.IdempotencyKey)
        .Set("RequestHash", o.RequestHash)
        .Set("PaymentToken", o.PaymentToken)
        .Set("PaymentReference", o.PaymentReference)
        .Set("DeclineReason", o.DeclineReason)
        .Set("LotId", o.LotId)
        .Set("CreatedAt", o.CreatedAt)
        .Set("CompletedAt", o.CompletedAt)
        .Set("Actor", o.Actor);

    private readonly RowInsert<Order> _insert;
    private readonly RowUpdate<Order> _update;
    private readonly SqlStatement _findByKey;
    private readonly SqlStatement _select;

    public OrdersTable(StatementSet statements)
    {
        _insert = statements.Insert<Order>("Orders", Columns, returning: "Id");
        _update = statements.Update<Order>("Orders", Columns, o => o.Id);
        _findByKey = statements.Prepare("Orders.FindByKey", """
            SELECT "Id" FROM "Orders" WHERE "AccountId" = @account AND "IdempotencyKey" = @key
            """);
        _select = statements.Prepare("Orders.Select", """
            SELECT "Id", "AccountId", "WalletId", "Channel", "Kind", "PackId", "Plan", "SubscriberCount", "MonthlyCredits", "Credits", "Price", "Currency", "Status", "IdempotencyKey",
              "RequestHash", "PaymentToken", "PaymentReference", "DeclineReason", "LotId", "CreatedAt", "CompletedAt", "Actor"
            FROM "Orders" WHERE "Id" = @id
            """);
    }

    public long Insert(Order order) => _insert.InsertReturning(order);

    public void Update(Order order) => _update.Update(order);

    public long? FindByKey(long accountId, string idempotencyKey)
    {
        using var r = _findByKey.Set("@account", accountId).Set("@key", idempotencyKey).Query();
        return r.Read() ? r.Long("Id") : null;
    }

    public Order? Find(long orderId)
    {
        using var r = _select.Set("@id", orderId).Query();
        if (!r.Read()) return null;
        return new Order
        {
            Id = r.Long("Id"), AccountId = r.Long("AccountId"), WalletId = r.Long("WalletId"), Channel = r.Enum<Channel>("Channel"),
            Kind = r.Enum<OrderKind>("Kind"), PackId = r.NullableText("PackId"), Plan = r.NullableEnum<Plan>("Plan"),
            SubscriberCount = r.NullableLong("SubscriberCount"), MonthlyCredits = r.NullableLong("MonthlyCredits"), Credits = r.Long("Credits"), Price = r.Money("Price"),
            Currency = r.Text("Currency"), Status = r.Enum<OrderStatus>("Status"), IdempotencyKey = r.Text("IdempotencyKey"),
            RequestHash = r.Text("RequestHash"), PaymentToken = r.NullableText("PaymentToken"), PaymentReference = r.NullableText("PaymentReference"),
            DeclineReason = r.NullableText("DeclineReason"), LotId = r.NullableLong("LotId"), CreatedAt = r.Instant("CreatedAt"),
            CompletedAt = r.NullableInstant("CompletedAt"), Actor = r.Text("Actor"),
        };
    }
}
