using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>R2: the owned product types. Gaining a type tops the free credits up to the new quota at once.</summary>
public static class SetProductTypes
{
    public static void Execute(LedgerSession s, long accountId, IReadOnlyList<string> productTypes, Actor actor, string? reason)
    {
        var types = Validate.ProductTypes(productTypes, s.Options);
        var account = s.Open(accountId);
        var before = account.Row.ProductTypes;
        if (before.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(types.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
            return;
        var gained = types.Except(before, StringComparer.OrdinalIgnoreCase).ToList();
        s.Audit.Record(account, actor, "account.productTypes", string.Join(", ", before), string.Join(", ", types), reason);
        account.Row.ProductTypes = types;
        s.Records.SaveAccount(account);
        if (gained.Count > 0)
            s.Due.GrantFreeQuota(account, s.Now, "gained " + string.Join(", ", gained));
    }
}
