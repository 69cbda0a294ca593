using CreditPortal.Formatting;
using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>R4: a list draws from the shared pool, or only from an assignment carved out of the wallet.</summary>
public static class SetAllocation
{
    public static void Execute(LedgerSession s, long accountId, long listId, Channel channel, AllocationMode mode, long? assigned, Actor actor, string? reason)
    {
        if (mode == AllocationMode.Assigned)
            Validate.NonNegative(assigned ?? throw new LedgerValidationException("assigned", "assigned is required when mode is Assigned."), "assigned");
        if (actor.IsSupport) reason = Validate.Text(reason, "reason", 500);
        var account = s.Open(accountId);
        if (!account.ListNames.ContainsKey(listId)) throw new LedgerNotFoundException($"List {listId}");
        var wallet = account.Wallet(channel);
        var list = wallet.List(listId);
        var before = Describe(list.Mode, list.Assigned);

        var target = mode == AllocationMode.Assigned ? assigned!.Value : 0;
        var delta = target - list.Assigned;
        if (delta > wallet.Unassigned)
            throw new LedgerRuleException("insufficient_unassigned",
                $"Only {PortalFormat.Credits(wallet.Unassigned)} {channel} credits are unassigned; the list can be assigned at most {PortalFormat.Credits(list.Assigned + wallet.Unassigned)}.",
                "assigned");
        if (before == Describe(mode, target)) return;

        s.Postings.MoveToList(account, wallet, list, delta, actor, reason, $"{before} → {Describe(mode, target)}");
        list.Mode = mode;
        s.Records.SaveListSettings(wallet, list);
        s.Audit.Record(account, actor, $"list.allocation.{channel}", $"#{listId} {before}", $"#{listId} {Describe(mode, target)}", reason);
        s.Sends.ReleaseQueue(account, wallet, s.Now);
    }

    private static string Describe(AllocationMode mode, long assigned)
        => mode == AllocationMode.Shared ? "Shared" : $"Assigned {assigned}";
}
