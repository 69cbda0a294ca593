namespace CreditPortal.Ledger;

/// <summary>
/// Issue #17: the credits of the sends an API key made in one local month of its account (accepted or queued when
/// requested), kept by the ledger writer in the same transaction as each send, so the key's cap reads one row instead of
/// scanning consumptions.
/// </summary>
public sealed class ApiKeyMonthlyUsage
{
    public long ApiKeyId { get; set; }
    public long AccountId { get; set; }

    /// <summary>The account's local month, <c>yyyy-MM</c>.</summary>
    public required string Month { get; set; }

    public long Credits { get; set; }
}
