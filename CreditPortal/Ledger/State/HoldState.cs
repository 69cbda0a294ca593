namespace CreditPortal.Ledger.State;

/// <summary>Issue #17: an active hold as the writer holds it: what it reserved, and how much of which lot it still holds.</summary>
public sealed class HoldState
{
    public HoldState(Hold row) => Row = row;

    public Hold Row { get; }
    public long Id => Row.Id;

    /// <summary>The lots it holds credits of, in R1 order as placed (a capture spends them in this order).</summary>
    public List<HoldPart> Parts { get; } = [];

    /// <summary>Credits still held (the sum of the parts).</summary>
    public long Held => Row.Held;
}

/// <summary>Credits of one lot held by one hold. The lot is the writer's own <see cref="LotState"/> (the same object as in the
/// wallet's lots while it has credits left to draw).</summary>
public sealed class HoldPart(LotState lot, long held)
{
    public LotState Lot { get; } = lot;
    public long Held { get; set; } = held;
}
