using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Orders.StripePayments;

/// <summary>The payment provider's customer of an account (Stripe: <c>cus_…</c>), one per account and provider, so every
/// payment and saved card of the account is under one customer.</summary>
public sealed class PaymentCustomer
{
    public long AccountId { get; set; }
    public required string Provider { get; set; }
    public required string CustomerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class PaymentCustomerConfiguration : IEntityTypeConfiguration<PaymentCustomer>
{
    public void Configure(EntityTypeBuilder<PaymentCustomer> b)
    {
        b.ToTable("PaymentCustomers");
        b.HasKey(c => new { c.AccountId, c.Provider });
        b.Property(c => c.Provider).HasMaxLength(20);
        b.Property(c => c.CustomerId).HasMaxLength(100);
        b.HasOne<CreditPortal.Ledger.Account>().WithMany().HasForeignKey(c => c.AccountId);
    }
}
