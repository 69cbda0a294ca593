using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Commands;

/// <summary>Lists are created Shared with no cap on both channels; names are unique per account.</summary>
public static class ManageLists
{
    public static long Create(LedgerSession s, long accountId, string name, Actor actor)
    {
        name = Validate.Text(name, "name", 200);
        var account = s.Open(accountId);
        EnsureUnique(account, name, null);
        if (account.ListNames.Count >= s.Limits.MaxListsPerAccount)
            throw new LedgerRuleException("list_limit",
                $"This account already has {account.ListNames.Count} lists, the most one account may have. Rename or reuse a list instead.", "name");
        var id = s.Records.AddList(account, name);
        s.Audit.Record(account, actor, "list.created", null, $"#{id} {name}", null);
        return id;
    }

    public static void Rename(LedgerSession s, long accountId, long listId, string name, Actor actor)
    {
        name = Validate.Text(name, "name", 200);
        var account = s.Open(accountId);
        if (!account.ListNames.TryGetValue(listId, out var old)) throw new LedgerNotFoundException($"List {listId}");
        if (old == name) return;
        EnsureUnique(account, name, listId);
        s.Records.RenameList(account, listId, name);
        s.Audit.Record(account, actor, "list.renamed", old, name, null);
    }

    private static void EnsureUnique(AccountState account, string name, long? except)
    {
        if (account.ListNames.Any(l => l.Key != except && string.Equals(l.Value, name, StringComparison.OrdinalIgnoreCase)))
            throw new LedgerRuleException("duplicate_list_name", $"A list named '{name}' already exists.", "name");
    }
}
