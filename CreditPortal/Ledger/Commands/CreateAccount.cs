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

        var account = s.Records.AddAccount(new Account
        {
            Name = name, TimeZoneId = zone, ProductTypes = types, BillingContacts = contacts, CreatedAt = now,
            NextTopUpAt = calendar.NextMonthStart(now),
        });
        // The creation grant is this month's top-up: record it under the month's key so a later zone
        // change can tell the month already had one.
        s.Due.RecordTopUp(account, calendar.MonthKey(now), now);
        s.Due.GrantFreeQuota(account, now, "account created");
        s.Audit.Record(account, actor, "account.created", null, $"name={name}; timeZone={zone}; productTypes={string.Join(",", types)}", null);
        return account.Id;
    }
}
