namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "Wallets" (Ledger/Wallet.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class WalletsTable
{
    private static void Columns(ColumnValues c, Wallet w) => c
        .Set("AccountId", w.AccountId)
        .Set("Channel", w.Channel)
        .Set("Plan", w.Plan)
        .Set("CycleAnchor", w.CycleAnchor)
        .Set("CycleIndex", w.CycleIndex)
        .Set("CycleEndsAt", w.CycleEndsAt)
        .Set("SubscriberCount", w.SubscriberCount)
        .Set("MonthlyCredits", w.MonthlyCredits)
        .Set("NextSubscriberCount", w.NextSubscriberCount)
        .Set("NextMonthlyCredits", w.NextMonthlyCredits)
        .Set("MonthlyLocked", w.MonthlyLocked)
        .Set("AutoRenew", w.AutoRenew)
        .Set("AutoRenewPackId", w.AutoRenewPackId)
        .Set("LastPurchasePackId", w.LastPurchasePackId)
        .Set("LastPurchaseCredits", w.LastPurchaseCredits)
        .Set("LastGrantCredits", w.LastGrantCredits)
        .Set("SavedPaymentToken", w.SavedPaymentToken)
        .Set("ArmedAlerts", w.ArmedAlerts)
        .Set("AutoRenewArmed", w.AutoRenewArmed)
        .Set("QueueReleaseCheckAt", w.QueueReleaseCheckAt);

    private readonly RowInsert<Wallet> _insert;
    private readonly RowUpdate<Wallet> _update;
    private readonly SqlStatement _selectOfAccount;

    public WalletsTable(StatementSet statements)
    {
        _insert = statements.Insert<Wallet>("Wallets", Columns, returning: "Id");
        _update = statements.Update<Wallet>("Wallets", Columns, w => w.Id);
        _selectOfAccount = statements.Prepare("Wallets.OfAccount", """
            SELECT "Id", "AccountId", "Channel", "Plan", "CycleAnchor", "CycleIndex", "CycleEndsAt", "SubscriberCount", "MonthlyCredits",
              "NextSubscriberCount", "NextMonthlyCredits", "MonthlyLocked", "AutoRenew", "AutoRenewPackId", "LastPurchasePackId", "LastPurchaseCredits",
              "LastGrantCredits", "SavedPaymentToken", "ArmedAlerts", "AutoRenewArmed", "QueueReleaseCheckAt"
            FROM "Wallets" WHERE "AccountId" = @account
            """);
    }

    public long Insert(Wallet wallet) => _insert.InsertReturning(wallet);

    public void Update(Wallet wallet) => _update.Update(wallet);

    public List<Wallet> OfAccount(long accountId)
    {
        var wallets = new List<Wallet>(2);
        using var r = _selectOfAccount.Set("@account", accountId).Query();
        while (r.Read())
        {
            wallets.Add(new Wallet
            {
                Id = r.Long("Id"), AccountId = r.Long("AccountId"), Channel = r.Enum<Channel>("Channel"), Plan = r.Enum<Plan>("Plan"),
                CycleAnchor = r.NullableDate("CycleAnchor"), CycleIndex = r.Int("CycleIndex"), CycleEndsAt = r.NullableInstant("CycleEndsAt"),
                SubscriberCount = r.NullableLong("SubscriberCount"), MonthlyCredits = r.NullableLong("MonthlyCredits"),
                NextSubscriberCount = r.NullableLong("NextSubscriberCount"), NextMonthlyCredits = r.NullableLong("NextMonthlyCredits"),
                MonthlyLocked = r.Flag("MonthlyLocked"), AutoRenew = r.Flag("AutoRenew"),
                AutoRenewPackId = r.NullableText("AutoRenewPackId"), LastPurchasePackId = r.NullableText("LastPurchasePackId"),
                LastPurchaseCredits = r.Long("LastPurchaseCredits"), LastGrantCredits = r.Long("LastGrantCredits"),
                SavedPaymentToken = r.NullableText("SavedPaymentToken"),
                ArmedAlerts = r.Int("ArmedAlerts"), AutoRenewArmed = r.Flag("AutoRenewArmed"), QueueReleaseCheckAt = r.NullableInstant("QueueReleaseCheckAt"),
            });
        }
        return wallets;
    }
}
