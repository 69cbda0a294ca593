using CreditPortal.Ledger.Rules;

namespace CreditPortal.Ledger.State;

/// <summary>
/// Everything the writer needs to decide about one wallet without a query: its row, its active lots in
/// consumption order (R1), the lists' allocations and month usage, today's sends and the queue.
/// Totals are kept as running sums so the R4 invariant is checked in O(1).
/// </summary>
public sealed class WalletState
{
    public WalletState(Wallet row) => Row = row;

    public Wallet Row { get; }
    public long Id => Row.Id;
    public Channel Channel => Row.Channel;

    /// <summary>Active lots, always in R1 order.</summary>
    public List<LotState> Lots { get; } = [];

    public Dictionary<long, ListAllocationState> Lists { get; } = [];

    public LinkedList<QueuedConsumption> Queue { get; } = new();

    /// <summary>Sum of the active lots' remaining.</summary>
    public long Total { get; set; }

    /// <summary>Issue #17: credits reserved by the wallet's active holds. Not in <see cref="Total"/>, which is what can be drawn.</summary>
    public long Held { get; set; }

    /// <summary>Sum of the lists' assignments.</summary>
    public long AssignedSum { get; set; }

    /// <summary>R4: what Shared lists draw from. Invariant: Total = Unassigned + AssignedSum.</summary>
    public long Unassigned => Total - AssignedSum;

    /// <summary>Messages accepted on the current local day (R7 Free plan daily limit).</summary>
    public long SentToday { get; set; }

    public bool HasPendingAutoRenew { get; set; }

    public void AddLot(LotState lot)
    {
        var index = Lots.BinarySearch(lot, ConsumptionOrder.Instance);
        Lots.Insert(index < 0 ? ~index : index, lot);
        Total += lot.Remaining;
    }

    /// <summary>After expiries were moved (R3 extension) the order may change.</summary>
    public void ResortLots() => Lots.Sort(ConsumptionOrder.Instance);

    public ListAllocationState List(long listId) =>
        Lists.TryGetValue(listId, out var list) ? list : throw new KeyNotFoundException($"List {listId} has no {Channel} settings.");
}
