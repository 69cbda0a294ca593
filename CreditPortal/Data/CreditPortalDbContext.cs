using CreditPortal.Alerts;
using CreditPortal.Api;
using CreditPortal.Audit;
using CreditPortal.Identity;
using CreditPortal.Orders;
using CreditPortal.Ledger;
using CreditPortal.Scheduling;
using CreditPortal.Security;
using CreditPortal.Webhooks;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Data;

/// <summary>The portal's data, and its SQLite migration set (Data/Migrations). <see cref="PostgreSqlDbContext"/> is the same
/// model with PostgreSQL's migration set.</summary>
public class CreditPortalDbContext : IdentityDbContext<PortalUser>, IDataProtectionKeyContext
{
    public CreditPortalDbContext(DbContextOptions<CreditPortalDbContext> options) : base(options) { }

    /// <summary>For a provider's own context type (its migrations are found by that type).</summary>
    protected CreditPortalDbContext(DbContextOptions options) : base(options) { }

    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ScheduledEventRecord> ScheduledEvents => Set<ScheduledEventRecord>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<Lot> Lots => Set<Lot>();
    public DbSet<CreditList> Lists => Set<CreditList>();
    public DbSet<ListChannelSettings> ListChannels => Set<ListChannelSettings>();
    public DbSet<Consumption> Consumptions => Set<Consumption>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<Hold> Holds => Set<Hold>();
    public DbSet<ListDailyUsage> ListDailyUsage => Set<ListDailyUsage>();
    public DbSet<ApiKeyMonthlyUsage> ApiKeyMonthlyUsage => Set<ApiKeyMonthlyUsage>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<AutoRenewAttempt> AutoRenewAttempts => Set<AutoRenewAttempt>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CreditPortal.Orders.StripePayments.PaymentCustomer> PaymentCustomers => Set<CreditPortal.Orders.StripePayments.PaymentCustomer>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>The data-protection key ring (login and antiforgery cookies): in the database, so a restart or a new
    /// container keeps everyone logged in and open forms working (issue #12).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
        configurationBuilder.Properties<decimal>().HaveConversion<MoneyConverter>();
        // Enums are stored as their names: the database reads like the domain, and the hand-written SQL
        // uses the same words (StoredValues).
        StoreByName<Channel>(configurationBuilder);
        StoreByName<Plan>(configurationBuilder);
        StoreByName<LotKind>(configurationBuilder);
        StoreByName<AllocationMode>(configurationBuilder);
        StoreByName<ConsumptionStatus>(configurationBuilder);
        StoreByName<LedgerEntryKind>(configurationBuilder);
        StoreByName<OrderKind>(configurationBuilder);
        StoreByName<OrderStatus>(configurationBuilder);
        StoreByName<AutoRenewAttemptStatus>(configurationBuilder);
        StoreByName<AlertKind>(configurationBuilder);
        StoreByName<HoldStatus>(configurationBuilder);
    }

    private static void StoreByName<TEnum>(ModelConfigurationBuilder configurationBuilder) where TEnum : struct, Enum
        => configurationBuilder.Properties<TEnum>().HaveConversion<EnumNameConverter<TEnum>>();
}
