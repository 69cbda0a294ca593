using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>R6: a list's optional monthly sending cap per channel, counted in messages.</summary>
public static class SetCap
{
    public static void Execute(LedgerSession s, long accountId, long listId, Channel channel, bool enabled, long? perMonth, Actor actor, string? reason)
    {
        if (enabled) Validate.NonNegative(perMonth ?? throw new LedgerValidationException("perMonth", "perMonth is required when the cap is enabled."), "perMonth");
        else if (perMonth is { } p) Validate.NonNegative(p, "perMonth");
        if (actor.IsSupport) reason = Validate.Text(reason, "reason", 500);
        var account = s.Open(accountId);
        if (!account.ListNames.ContainsKey(listId)) throw new LedgerNotFoundException($"List {listId}");
        var wallet = account.Wallet(channel);
        var list = wallet.List(listId);
        var before = Describe(list.CapEnabled, list.CapPerMonth);
        var cap = perMonth ?? list.CapPerMonth;
        if (before == Describe(enabled, cap)) return;
        list.CapEnabled = enabled;
        list.CapPerMonth = cap;
        s.Records.SaveListSettings(wallet, list);
        s.Audit.Record(account, actor, $"list.cap.{channel}", $"#{listId} {before}", $"#{listId} {Describe(enabled, cap)}", reason);
        s.Sends.ReleaseQueue(account, wallet, s.Now);
    }

    private static string Describe(bool enabled, long? perMonth) => enabled ? $"cap {perMonth}/month" : "no cap";
}
