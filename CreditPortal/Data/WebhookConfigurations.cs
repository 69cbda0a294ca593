using CreditPortal.Ledger;
using CreditPortal.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Data;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("WebhookEndpoints");
        b.Property(e => e.Url).HasMaxLength(WebhookService.MaxUrlLength);
        b.Property(e => e.EventTypes).HasMaxLength(1000);
        b.Property(e => e.SecretPrefix).HasMaxLength(20);
        b.Property(e => e.DisabledReason).HasMaxLength(200);
        b.Property(e => e.CreatedBy).HasMaxLength(200);
        b.HasIndex(e => e.AccountId);
        b.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.Property(d => d.EventId).HasMaxLength(100);
        b.Property(d => d.EventType).HasMaxLength(50);
        b.Property(d => d.LastError).HasMaxLength(1000);
        // An event is delivered once per endpoint (the dispatcher checks, the index makes sure).
        b.HasIndex(d => new { d.EndpointId, d.EventId }).IsUnique();
        // The delivery log, newest first.
        b.HasIndex(d => new { d.AccountId, d.Id });
        // What is due: pending rows only (delivered and given-up ones, the many, are not in it).
        b.HasIndex(d => d.NextAttemptAt, "IX_WebhookDeliveries_Pending").HasFilter("\"NextAttemptAt\" IS NOT NULL");
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
