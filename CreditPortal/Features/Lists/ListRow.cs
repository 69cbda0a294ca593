using CreditPortal.Ledger;

namespace CreditPortal.Features.Lists;

/// <summary>One list with its settings on both channels (the wallets list the same lists).</summary>
public sealed record ListRow(long Id, string Name, ListView Email, ListView Sms)
{
    public ListView On(Channel channel) => channel == Channel.Sms ? Sms : Email;

    public static IReadOnlyList<ListRow> From(WalletView email, WalletView sms)
    {
        var byId = sms.Lists.ToDictionary(l => l.Id);
        return email.Lists
            .Where(l => byId.ContainsKey(l.Id))
            .Select(l => new ListRow(l.Id, l.Name, l, byId[l.Id]))
            .ToList();
    }
}
