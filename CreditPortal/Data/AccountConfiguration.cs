using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Data;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.ToTable("Accounts");
        b.Property(a => a.Name).HasMaxLength(200);
        b.Property(a => a.TimeZoneId).HasMaxLength(100);
        b.HasIndex(a => a.Name);
        b.HasIndex(a => a.NextDueAt);
    }
}

internal sealed class ScheduledEventRecordConfiguration : IEntityTypeConfiguration<CreditPortal.Scheduling.ScheduledEventRecord>
{
    public void Configure(EntityTypeBuilder<CreditPortal.Scheduling.ScheduledEventRecord> b)
    {
        b.ToTable("ScheduledEvents");
        b.HasKey(e => e.Key);
        b.Property(e => e.Key).HasMaxLength(200);
    }
}
