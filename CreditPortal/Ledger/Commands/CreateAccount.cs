using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

public sealed record NewAccount(string Name, string? TimeZone = null, IReadOnlyList<string>? ProductTypes = null,
    IReadOnlyList<string>? BillingContacts = null);

/// <summary>Creates an account with its two wallets (plan Packs) and its first free lot of the month (R2).</summary>
public static class CreateAccount
{
    public static long Execute(LedgerSession s, NewAccount request, Actor actor)
    {
        var name = Validate.Text(request.Name, "name", 200);
        var zone = Validate.TimeZone(request.TimeZone ?? s.Options.DefaultTimeZone);
        var types = Validate.ProductTypes(request.ProductTypes, s.Options);
        var contacts = Validate.Emails(request.BillingContacts);
        var calendar = new Clock.AccountCalendar(zone);
        var now = s.Now;

        var row = new Account
        {
            Name = name, TimeZoneId = zone, ProductTypes = types, BillingContacts = contacts, CreatedAt = now,
            NextTopUpAt = calendar.NextMonthStart(now),
        };
        row.Id = s.Store.InsertAccount.ExecuteLong(row.Name, row.TimeZoneId, Engine.LedgerStore.Json(row.BillingContacts),
            Engine.LedgerStore.Json(row.ProductTypes), row.HoldWhenOutOfCredits, row.CreatedAt, row.NextTopUpAt, row.NextTopUpAt);
        foreach (var channel in new[] { Channel.Email, Channel.Sms })
            s.Store.AddWallet(new Wallet { AccountId = row.Id, Channel = channel, Plan = Plan.Packs });

        var account = s.Load(row.Id)!;
        // The creation grant is this month's top-up: record it under the month's key so a later zone
        // change can tell the month already had one.
        s.Store.RecordEvent.Execute($"topup:{row.Id}:{calendar.MonthKey(now)}", now, now);
        s.GrantFreeQuota(account, now, "account created");
        s.Audit(account, actor, "account.created", null, $"name={name}; timeZone={zone}; productTypes={string.Join(",", types)}", null);
        return row.Id;
    }
}
