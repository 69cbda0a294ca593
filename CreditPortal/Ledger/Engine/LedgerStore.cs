using System.Text.Json;
using CreditPortal.Alerts;
using CreditPortal.Audit;
using CreditPortal.Ledger.State;
using CreditPortal.Orders;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The ledger writer's SQL: every statement that changes a ledger table, prepared once on the writer's
/// own connection. Column names are the EF model's (see Data/LedgerConfigurations.cs); reads for pages
/// and the API go through EF instead.
/// </summary>
internal sealed class LedgerStore
{
    private readonly List<Statement> _all = [];
    private readonly SqliteConnection _connection;

    public LedgerStore(SqliteConnection connection)
    {
        _connection = connection;
        Statement S(string sql) { var s = new Statement(connection, sql); _all.Add(s); return s; }

        InsertAccount = S("""
            INSERT INTO Accounts (Name, TimeZoneId, BillingContacts, ProductTypes, HoldWhenOutOfCredits, CreatedAt, NextTopUpAt, NextDueAt)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7) RETURNING Id
            """);
        UpdateAccount = S("""
            UPDATE Accounts SET Name = $p1, TimeZoneId = $p2, BillingContacts = $p3, ProductTypes = $p4,
              HoldWhenOutOfCredits = $p5, NextTopUpAt = $p6, NextDueAt = $p7 WHERE Id = $p0
            """);
        UpdateAccountNextDue = S("UPDATE Accounts SET NextDueAt = $p1 WHERE Id = $p0");
        SelectAccount = S("""
            SELECT Id, Name, TimeZoneId, BillingContacts, ProductTypes, HoldWhenOutOfCredits, CreatedAt, NextTopUpAt, NextDueAt
            FROM Accounts WHERE Id = $p0
            """);

        InsertWallet = S("""
            INSERT INTO Wallets (AccountId, Channel, Plan, CycleAnchor, CycleIndex, CycleEndsAt, SubscriberCount, MonthlyCredits,
              MonthlyLocked, AutoRenew, LastPurchasePackId, LastPurchaseCredits, SavedPaymentToken, ArmedAlerts, AutoRenewArmed, QueueReleaseCheckAt,
              NextSubscriberCount, NextMonthlyCredits)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17) RETURNING Id
            """);
        UpdateWallet = S("""
            UPDATE Wallets SET Plan = $p1, CycleAnchor = $p2, CycleIndex = $p3, CycleEndsAt = $p4, SubscriberCount = $p5,
              MonthlyCredits = $p6, MonthlyLocked = $p7, AutoRenew = $p8, LastPurchasePackId = $p9, LastPurchaseCredits = $p10,
              SavedPaymentToken = $p11, ArmedAlerts = $p12, AutoRenewArmed = $p13, QueueReleaseCheckAt = $p14,
              NextSubscriberCount = $p15, NextMonthlyCredits = $p16
            WHERE Id = $p0
            """);
        SelectWallets = S("""
            SELECT Id, AccountId, Channel, Plan, CycleAnchor, CycleIndex, CycleEndsAt, SubscriberCount, MonthlyCredits, MonthlyLocked,
              AutoRenew, LastPurchasePackId, LastPurchaseCredits, SavedPaymentToken, ArmedAlerts, AutoRenewArmed, QueueReleaseCheckAt,
              NextSubscriberCount, NextMonthlyCredits
            FROM Wallets WHERE AccountId = $p0
            """);

        InsertLot = S("""
            INSERT INTO Lots (AccountId, WalletId, Channel, Kind, Quantity, Remaining, ExpiresAt, ExpiredAt, CreatedAt, Source, OrderId)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p4, $p5, NULL, $p6, $p7, $p8) RETURNING Id
            """);
        DrawFromLot = S("UPDATE Lots SET Remaining = Remaining - $p1 WHERE Id = $p0");
        MarkLotExpired = S("UPDATE Lots SET ExpiredAt = $p1 WHERE Id = $p0");
        SetLotExpiry = S("UPDATE Lots SET ExpiresAt = $p1 WHERE Id = $p0");
        SelectActiveLots = S("""
            SELECT Id, WalletId, Kind, Quantity, Remaining, ExpiresAt, CreatedAt
            FROM Lots WHERE AccountId = $p0 AND ExpiredAt IS NULL AND Remaining > 0
            """);

        InsertList = S("INSERT INTO Lists (AccountId, Name, CreatedAt) VALUES ($p0, $p1, $p2) RETURNING Id");
        RenameList = S("UPDATE Lists SET Name = $p1 WHERE Id = $p0");
        SelectLists = S("SELECT Id, Name FROM Lists WHERE AccountId = $p0");
        InsertListChannel = S("""
            INSERT INTO ListChannels (ListId, Channel, AccountId, Mode, Assigned, CapEnabled, CapPerMonth)
            VALUES ($p0, $p1, $p2, 'Shared', 0, 0, NULL)
            """);
        UpdateListChannel = S("UPDATE ListChannels SET Mode = $p2, CapEnabled = $p3, CapPerMonth = $p4 WHERE ListId = $p0 AND Channel = $p1");
        AddToAssigned = S("UPDATE ListChannels SET Assigned = Assigned + $p2 WHERE ListId = $p0 AND Channel = $p1");
        SelectListChannels = S("SELECT ListId, Channel, Mode, Assigned, CapEnabled, CapPerMonth FROM ListChannels WHERE AccountId = $p0");

        FindConsumption = S("""
            SELECT Id, RequestHash, InitialStatus, InitialReason FROM Consumptions WHERE AccountId = $p0 AND IdempotencyKey = $p1
            """);
        InsertConsumption = S("""
            INSERT INTO Consumptions (AccountId, WalletId, ListId, Channel, Quantity, Country, CreditsPerMessage, Credits, Status,
              InitialStatus, Reason, InitialReason, Reference, IdempotencyKey, RequestHash, RequestedAt, DecidedAt, Unmetered, Actor)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p8, $p9, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16) RETURNING Id
            """);
        DecideConsumption = S("UPDATE Consumptions SET Status = $p1, Reason = $p2, DecidedAt = $p3, Unmetered = $p4 WHERE Id = $p0");
        SelectQueued = S("""
            SELECT Id, WalletId, ListId, Quantity, Credits FROM Consumptions WHERE AccountId = $p0 AND Status = 'Queued' ORDER BY Id
            """);

        InsertEntry = S("""
            INSERT INTO LedgerEntries (AccountId, WalletId, Channel, At, Kind, Quantity, AssignedDelta, LotId, ListId, ConsumptionId,
              OrderId, Actor, Reason, Detail)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13)
            """);

        UpsertUsage = S("""
            INSERT INTO ListDailyUsage (AccountId, ListId, Channel, LocalDate, Messages, Credits, Accepted, Rejected, RejectedMessages)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8)
            ON CONFLICT (AccountId, ListId, Channel, LocalDate) DO UPDATE SET
              Messages = Messages + excluded.Messages, Credits = Credits + excluded.Credits, Accepted = Accepted + excluded.Accepted,
              Rejected = Rejected + excluded.Rejected, RejectedMessages = RejectedMessages + excluded.RejectedMessages
            """);
        SelectUsage = S("""
            SELECT ListId, Channel, LocalDate, Messages FROM ListDailyUsage WHERE AccountId = $p0 AND LocalDate >= $p1 AND LocalDate < $p2
            """);

        FindOrder = S("SELECT Id FROM Orders WHERE AccountId = $p0 AND IdempotencyKey = $p1");
        SelectOrder = S("""
            SELECT Id, AccountId, WalletId, Channel, Kind, PackId, Credits, Price, Currency, Status, IdempotencyKey, RequestHash,
              PaymentToken, PaymentReference, DeclineReason, LotId, CreatedAt, CompletedAt, Actor
            FROM Orders WHERE Id = $p0
            """);
        InsertOrder = S("""
            INSERT INTO Orders (AccountId, WalletId, Channel, Kind, PackId, Credits, Price, Currency, Status, IdempotencyKey, RequestHash,
              PaymentToken, PaymentReference, DeclineReason, LotId, CreatedAt, CompletedAt, Actor)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, 'Pending', $p8, $p9, $p10, NULL, NULL, NULL, $p11, NULL, $p12) RETURNING Id
            """);
        CompleteOrder = S("""
            UPDATE Orders SET Status = $p1, PaymentReference = $p2, DeclineReason = $p3, LotId = $p4, CompletedAt = $p5 WHERE Id = $p0
            """);

        InsertAttempt = S("""
            INSERT INTO AutoRenewAttempts (AccountId, WalletId, Channel, PackId, Attempt, DueAt, Status, OrderId, CreatedAt)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, 'Pending', NULL, $p6) RETURNING Id
            """);
        UpdateAttempt = S("UPDATE AutoRenewAttempts SET Status = $p1, OrderId = $p2 WHERE Id = $p0");
        EventRecorded = S("SELECT COUNT(*) FROM ScheduledEvents WHERE Key = $p0");
        SelectAttempt = S("""
            SELECT Id, AccountId, WalletId, Channel, PackId, Attempt, DueAt, Status, OrderId FROM AutoRenewAttempts WHERE Id = $p0
            """);
        CountPendingAttempts = S("SELECT COUNT(*) FROM AutoRenewAttempts WHERE WalletId = $p0 AND Status = 'Pending'");

        InsertAlert = S("""
            INSERT INTO Alerts (AccountId, Channel, Kind, At, Detail, Recipients, DeliveredAt, DeliveryError)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, NULL, NULL)
            """);
        InsertAudit = S("""
            INSERT INTO AuditEntries (AccountId, At, Actor, Action, Before, After, Reason) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6)
            """);
        // Per-command savepoints, prepared once: SqliteTransaction.Save/Release parse a new statement
        // every time, which showed up as ~12% of the writer's time under load.
        Savepoint = S("SAVEPOINT command");
        ReleaseSavepoint = S("RELEASE command");
        RollbackToSavepoint = S("ROLLBACK TO command");
        RecordEvent = S("INSERT OR IGNORE INTO ScheduledEvents (Key, DueAt, RanAt) VALUES ($p0, $p1, $p2)");
    }

    public Statement InsertAccount { get; }
    public Statement UpdateAccount { get; }
    public Statement UpdateAccountNextDue { get; }
    public Statement SelectAccount { get; }
    public Statement InsertWallet { get; }
    public Statement UpdateWallet { get; }
    public Statement SelectWallets { get; }
    public Statement InsertLot { get; }
    public Statement DrawFromLot { get; }
    public Statement MarkLotExpired { get; }
    public Statement SetLotExpiry { get; }
    public Statement SelectActiveLots { get; }
    public Statement InsertList { get; }
    public Statement RenameList { get; }
    public Statement SelectLists { get; }
    public Statement InsertListChannel { get; }
    public Statement UpdateListChannel { get; }
    public Statement AddToAssigned { get; }
    public Statement SelectListChannels { get; }
    public Statement FindConsumption { get; }
    public Statement InsertConsumption { get; }
    public Statement DecideConsumption { get; }
    public Statement SelectQueued { get; }
    public Statement InsertEntry { get; }
    public Statement UpsertUsage { get; }
    public Statement SelectUsage { get; }
    public Statement FindOrder { get; }
    public Statement SelectOrder { get; }
    public Statement InsertOrder { get; }
    public Statement CompleteOrder { get; }
    public Statement InsertAttempt { get; }
    public Statement UpdateAttempt { get; }
    public Statement SelectAttempt { get; }
    public Statement CountPendingAttempts { get; }
    public Statement InsertAlert { get; }
    public Statement InsertAudit { get; }
    public Statement RecordEvent { get; }
    public Statement Savepoint { get; }
    public Statement ReleaseSavepoint { get; }
    public Statement RollbackToSavepoint { get; }
    public Statement EventRecorded { get; }

    public void Enlist(SqliteTransaction? transaction)
    {
        foreach (var statement in _all) statement.Transaction = transaction;
    }

    public static string Json(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    private static List<string> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    // ---- rows the writer writes with one call ----

    public void SaveAccount(Account a) => UpdateAccount.Execute(a.Id, a.Name, a.TimeZoneId, Json(a.BillingContacts), Json(a.ProductTypes),
        a.HoldWhenOutOfCredits, a.NextTopUpAt, a.NextDueAt);

    public long AddWallet(Wallet w) => InsertWallet.ExecuteLong(w.AccountId, w.Channel, w.Plan, w.CycleAnchor, w.CycleIndex, w.CycleEndsAt,
        w.SubscriberCount, w.MonthlyCredits, w.MonthlyLocked, w.AutoRenew, w.LastPurchasePackId, w.LastPurchaseCredits, w.SavedPaymentToken,
        w.ArmedAlerts, w.AutoRenewArmed, w.QueueReleaseCheckAt, w.NextSubscriberCount, w.NextMonthlyCredits);

    public void SaveWallet(Wallet w) => UpdateWallet.Execute(w.Id, w.Plan, w.CycleAnchor, w.CycleIndex, w.CycleEndsAt, w.SubscriberCount,
        w.MonthlyCredits, w.MonthlyLocked, w.AutoRenew, w.LastPurchasePackId, w.LastPurchaseCredits, w.SavedPaymentToken, w.ArmedAlerts,
        w.AutoRenewArmed, w.QueueReleaseCheckAt, w.NextSubscriberCount, w.NextMonthlyCredits);

    public void AddEntry(LedgerEntry e) => InsertEntry.Execute(e.AccountId, e.WalletId, e.Channel, e.At, e.Kind, e.Quantity, e.AssignedDelta,
        e.LotId, e.ListId, e.ConsumptionId, e.OrderId, e.Actor, e.Reason, e.Detail);

    public void AddAlert(Alert a) => InsertAlert.Execute(a.AccountId, a.Channel, a.Kind, a.At, a.Detail, a.Recipients);

    public void AddAudit(AuditEntry a) => InsertAudit.Execute(a.AccountId, a.At, a.Actor, a.Action, a.Before, a.After, a.Reason);

    public Order? LoadOrder(long id)
    {
        using var r = SelectOrder.Query(id);
        if (!r.Read()) return null;
        return new Order
        {
            Id = r.GetInt64(0), AccountId = r.GetInt64(1), WalletId = r.GetInt64(2), Channel = r.Enum<Channel>(3), Kind = r.Enum<OrderKind>(4),
            PackId = r.NullableString(5), Credits = r.GetInt64(6), Price = r.Money(7), Currency = r.GetString(8), Status = r.Enum<OrderStatus>(9),
            IdempotencyKey = r.GetString(10), RequestHash = r.GetString(11), PaymentToken = r.NullableString(12),
            PaymentReference = r.NullableString(13), DeclineReason = r.NullableString(14), LotId = r.NullableLong(15),
            CreatedAt = r.Instant(16), CompletedAt = r.NullableInstant(17), Actor = r.GetString(18),
        };
    }

    public AutoRenewAttempt? LoadAttempt(long id)
    {
        using var r = SelectAttempt.Query(id);
        if (!r.Read()) return null;
        return new AutoRenewAttempt
        {
            Id = r.GetInt64(0), AccountId = r.GetInt64(1), WalletId = r.GetInt64(2), Channel = r.Enum<Channel>(3), PackId = r.GetString(4),
            Attempt = r.GetInt32(5), DueAt = r.Instant(6), Status = r.Enum<AutoRenewAttemptStatus>(7), OrderId = r.NullableLong(8),
        };
    }

    /// <summary>Reads one account completely into writer state (inside the current transaction).</summary>
    public AccountState? LoadAccount(long accountId)
    {
        Account? account = null;
        using (var r = SelectAccount.Query(accountId))
        {
            if (r.Read())
            {
                account = new Account
                {
                    Id = r.GetInt64(0), Name = r.GetString(1), TimeZoneId = r.GetString(2), BillingContacts = FromJson(r.NullableString(3)),
                    ProductTypes = FromJson(r.NullableString(4)), HoldWhenOutOfCredits = r.Flag(5), CreatedAt = r.Instant(6),
                    NextTopUpAt = r.NullableInstant(7), NextDueAt = r.NullableInstant(8),
                };
            }
        }
        if (account is null) return null;

        var wallets = new Dictionary<Channel, WalletState>();
        using (var r = SelectWallets.Query(accountId))
        {
            while (r.Read())
            {
                var w = new Wallet
                {
                    Id = r.GetInt64(0), AccountId = r.GetInt64(1), Channel = r.Enum<Channel>(2), Plan = r.Enum<Plan>(3),
                    CycleAnchor = r.NullableDate(4), CycleIndex = r.GetInt32(5), CycleEndsAt = r.NullableInstant(6),
                    SubscriberCount = r.NullableLong(7), MonthlyCredits = r.NullableLong(8), MonthlyLocked = r.Flag(9), AutoRenew = r.Flag(10),
                    LastPurchasePackId = r.NullableString(11), LastPurchaseCredits = r.GetInt64(12), SavedPaymentToken = r.NullableString(13),
                    ArmedAlerts = r.GetInt32(14), AutoRenewArmed = r.Flag(15), QueueReleaseCheckAt = r.NullableInstant(16),
                    NextSubscriberCount = r.NullableLong(17), NextMonthlyCredits = r.NullableLong(18),
                };
                wallets[w.Channel] = new WalletState(w);
            }
        }
        var state = new AccountState(account, wallets[Channel.Email], wallets[Channel.Sms]);
        var byId = state.Wallets.ToDictionary(w => w.Id);

        using (var r = SelectActiveLots.Query(accountId))
        {
            while (r.Read())
            {
                var lot = new LotState
                {
                    Id = r.GetInt64(0), WalletId = r.GetInt64(1), Kind = r.Enum<LotKind>(2), Quantity = r.GetInt64(3),
                    Remaining = r.GetInt64(4), ExpiresAt = r.NullableInstant(5), CreatedAt = r.Instant(6),
                };
                byId[lot.WalletId].AddLot(lot);
            }
        }
        using (var r = SelectLists.Query(accountId))
            while (r.Read()) state.ListNames[r.GetInt64(0)] = r.GetString(1);
        using (var r = SelectListChannels.Query(accountId))
        {
            while (r.Read())
            {
                var wallet = state.Wallet(r.Enum<Channel>(1));
                var list = new ListAllocationState
                {
                    ListId = r.GetInt64(0), Mode = r.Enum<AllocationMode>(2), Assigned = r.GetInt64(3), CapEnabled = r.Flag(4),
                    CapPerMonth = r.NullableLong(5),
                };
                wallet.Lists[list.ListId] = list;
                wallet.AssignedSum += list.Assigned;
            }
        }
        using (var r = SelectQueued.Query(accountId))
            while (r.Read())
                byId[r.GetInt64(1)].Queue.AddLast(new QueuedConsumption(r.GetInt64(0), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        foreach (var wallet in state.Wallets)
            wallet.HasPendingAutoRenew = CountPendingAttempts.ExecuteLong(wallet.Id) > 0;
        return state;
    }

    /// <summary>Messages sent per (list, channel) in [from, to) local dates, and per channel on <paramref name="day"/>.</summary>
    public void LoadUsage(AccountState state, DateOnly monthStart, DateOnly monthEnd, DateOnly day)
    {
        foreach (var wallet in state.Wallets)
        {
            wallet.SentToday = 0;
            foreach (var list in wallet.Lists.Values) list.SentThisMonth = 0;
        }
        using var r = SelectUsage.Query(state.Id, monthStart, monthEnd);
        while (r.Read())
        {
            var wallet = state.Wallet(r.Enum<Channel>(1));
            var messages = r.GetInt64(3);
            if (wallet.Lists.TryGetValue(r.GetInt64(0), out var list)) list.SentThisMonth += messages;
            if (r.GetString(2) == day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) wallet.SentToday += messages;
        }
    }

    public SqliteConnection Connection => _connection;
}
