using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Scheduling;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Data;

public sealed class CreditPortalDbContext(DbContextOptions<CreditPortalDbContext> options)
    : IdentityDbContext<PortalUser>(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ScheduledEventRecord> ScheduledEvents => Set<ScheduledEventRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CreditPortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset natively; store instants as UTC ticks so
        // "soonest expiry first" (R1) and range queries run in the database.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<decimal>().HaveConversion<DecimalCentsConverter>();
    }
}
