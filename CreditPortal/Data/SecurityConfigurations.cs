using CreditPortal.Identity;
using CreditPortal.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Data;

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> b)
    {
        b.ToTable("SecurityEvents");
        b.Property(e => e.Kind).HasMaxLength(40);
        b.Property(e => e.Email).HasMaxLength(256);
        b.Property(e => e.Ip).HasMaxLength(64);
        b.Property(e => e.Actor).HasMaxLength(300);
        b.Property(e => e.Detail).HasMaxLength(500);
        // Newest first: all of it (support) or one account's (its owner).
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.AccountId, e.At });
    }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Property(u => u.DisabledReason).HasMaxLength(500);
        b.HasIndex(u => u.AccountId);
    }
}
