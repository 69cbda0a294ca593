using CreditPortal.Ledger;

namespace CreditPortal.Features.Lists;

public enum ListActionKind
{
    /// <summary>R4: shared pool, or credits of its own carved out of the wallet.</summary>
    AssignCredits,

    /// <summary>R6: the switch and the maximum messages per calendar month.</summary>
    SetSendingLimit,

    Rename,
}

/// <summary>An item of a list's ⋮ menu: what to do, and on which channel (none for Rename).</summary>
public sealed record ListAction(ListActionKind Kind, Channel? Channel);
