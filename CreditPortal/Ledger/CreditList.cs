namespace CreditPortal.Ledger;

/// <summary>An audience / newsletter domain of the account that sends messages.</summary>
public sealed class CreditList
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
