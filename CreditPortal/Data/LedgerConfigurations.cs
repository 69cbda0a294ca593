using CreditPortal.Alerts;
using CreditPortal.Api;
using CreditPortal.Audit;
using CreditPortal.Ledger;
using CreditPortal.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Data;

// Enums are stored as their names (CreditPortalDbContext's conventions, StoredValues). Table and column
// names are EF's defaults; the hand-written SQL (Ledger/Storage, LedgerCheck, Reports) relies on them, and
// the statement tests prepare every such statement against a freshly migrated database.

internal sealed class WalletConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> b)
    {
        b.ToTable("Wallets");
        b.Property(w => w.Channel).HasMaxLength(10);
        b.Property(w => w.Plan).HasMaxLength(20);
        b.HasIndex(w => new { w.AccountId, w.Channel }).IsUnique();
        b.HasOne<Account>().WithMany().HasForeignKey(w => w.AccountId);
    }
}

internal sealed class LotConfiguration : IEntityTypeConfiguration<Lot>
{
    public void Configure(EntityTypeBuilder<Lot> b)
    {
        // Defence in depth: a bug that would overdraw a lot fails the statement, and the writer rolls the
        // whole command back instead of storing a negative balance.
        b.ToTable("Lots", t =>
        {
            t.HasCheckConstraint("CK_Lots_Remaining", "\"Remaining\" >= 0 AND \"Remaining\" <= \"Quantity\"");
            // Issue #17: held credits are out of Remaining, so both together never pass the lot's quantity.
            t.HasCheckConstraint("CK_Lots_Held", "\"Held\" >= 0 AND \"Remaining\" + \"Held\" <= \"Quantity\"");
        });
        b.Property(l => l.Channel).HasMaxLength(10);
        b.Property(l => l.Kind).HasMaxLength(20);
        b.Property(l => l.Source).HasMaxLength(200);
        b.HasIndex(l => new { l.WalletId, l.ExpiredAt });
        b.HasIndex(l => l.AccountId);
        b.HasOne<Wallet>().WithMany().HasForeignKey(l => l.WalletId);
    }
}

internal sealed class CreditListConfiguration : IEntityTypeConfiguration<CreditList>
{
    public void Configure(EntityTypeBuilder<CreditList> b)
    {
        b.ToTable("Lists");
        b.Property(l => l.Name).HasMaxLength(200).UseCollation("NOCASE");
        b.HasIndex(l => new { l.AccountId, l.Name }).IsUnique();
        b.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId);
    }
}

internal sealed class ListChannelSettingsConfiguration : IEntityTypeConfiguration<ListChannelSettings>
{
    public void Configure(EntityTypeBuilder<ListChannelSettings> b)
    {
        b.ToTable("ListChannels", t => t.HasCheckConstraint("CK_ListChannels_Assigned", "\"Assigned\" >= 0"));
        b.HasKey(s => new { s.ListId, s.Channel });
        b.Property(s => s.Channel).HasMaxLength(10);
        b.Property(s => s.Mode).HasMaxLength(10);
        b.HasIndex(s => s.AccountId);
        b.HasOne<CreditList>().WithMany().HasForeignKey(s => s.ListId);
    }
}

internal sealed class ConsumptionConfiguration : IEntityTypeConfiguration<Consumption>
{
    public void Configure(EntityTypeBuilder<Consumption> b)
    {
        b.ToTable("Consumptions");
        b.Property(c => c.Channel).HasMaxLength(10);
        b.Property(c => c.Status).HasMaxLength(10);
        b.Property(c => c.InitialStatus).HasMaxLength(10);
        b.Property(c => c.Reason).HasMaxLength(50);
        b.Property(c => c.Reference).HasMaxLength(200);
        b.Property(c => c.IdempotencyKey).HasMaxLength(100);
        b.Property(c => c.RequestHash).HasMaxLength(64);
        b.Property(c => c.Country).HasMaxLength(2);
        // Every index is paid for by every send, so only the ones a query uses (README, Performance: the query
        // plans). The idempotency key is unique per account (and the writer's replay lookup); the API lists an
        // account's consumptions in id order (an index on AccountId is one on (AccountId, Id) in SQLite); the
        // queued ones, few, have a partial index that accepted sends skip. The reports add theirs (ReportIndexes).
        b.HasIndex(c => new { c.AccountId, c.IdempotencyKey }).IsUnique();
        b.HasIndex(c => c.AccountId);
        b.HasIndex(c => c.WalletId, "IX_Consumptions_Queued").HasFilter($"\"Status\" = {StoredValues.Literal(ConsumptionStatus.Queued)}");
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.ToTable("LedgerEntries");
        b.Property(e => e.Channel).HasMaxLength(10);
        b.Property(e => e.Kind).HasMaxLength(20);
        // The account's history (the API's ledger) is the only query by a column of its own; the ledger check
        // sums the entries per lot, wallet, list and consumption in one pass each, without indexes, so that
        // consumptions' entries pay for one index (and the reports' partial one skips them).
        b.HasIndex(e => new { e.AccountId, e.At });
        // Issue #17: a hold's parts per lot are read from its entries when an account with active holds is loaded; only
        // hold entries are in this index, so sends do not pay for it.
        b.HasIndex(e => new { e.HoldId, e.LotId }, "IX_LedgerEntries_Hold").HasFilter("\"HoldId\" IS NOT NULL");
    }
}

internal sealed class HoldConfiguration : IEntityTypeConfiguration<Hold>
{
    public void Configure(EntityTypeBuilder<Hold> b)
    {
        b.ToTable("Holds", t => t.HasCheckConstraint("CK_Holds_Held", "\"Held\" >= 0 AND \"Held\" <= \"Credits\""));
        b.Property(h => h.Channel).HasMaxLength(10);
        b.Property(h => h.Status).HasMaxLength(10);
        b.Property(h => h.Reference).HasMaxLength(200);
        b.Property(h => h.IdempotencyKey).HasMaxLength(100);
        b.Property(h => h.RequestHash).HasMaxLength(64);
        b.Property(h => h.Country).HasMaxLength(2);
        b.HasIndex(h => new { h.AccountId, h.IdempotencyKey }).IsUnique();
        // The active ones of an account: read when the writer loads it, and listed by the API and the Balance page.
        b.HasIndex(h => new { h.AccountId, h.Status });
        b.HasOne<Wallet>().WithMany().HasForeignKey(h => h.WalletId);
    }
}

internal sealed class ListDailyUsageConfiguration : IEntityTypeConfiguration<ListDailyUsage>
{
    public void Configure(EntityTypeBuilder<ListDailyUsage> b)
    {
        b.ToTable("ListDailyUsage");
        b.HasKey(u => new { u.AccountId, u.ListId, u.Channel, u.LocalDate });
        b.Property(u => u.Channel).HasMaxLength(10);
        b.HasIndex(u => new { u.AccountId, u.LocalDate });
    }
}

internal sealed class ApiKeyMonthlyUsageConfiguration : IEntityTypeConfiguration<ApiKeyMonthlyUsage>
{
    public void Configure(EntityTypeBuilder<ApiKeyMonthlyUsage> b)
    {
        b.ToTable("ApiKeyMonthlyUsage");
        b.HasKey(u => new { u.ApiKeyId, u.Month });
        b.Property(u => u.Month).HasMaxLength(7);
        b.HasIndex(u => u.AccountId);
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("Orders");
        b.Property(o => o.Channel).HasMaxLength(10);
        b.Property(o => o.Kind).HasMaxLength(20);
        b.Property(o => o.Plan).HasMaxLength(20);
        b.Property(o => o.Status).HasMaxLength(20);
        b.Property(o => o.IdempotencyKey).HasMaxLength(120);
        b.HasIndex(o => new { o.AccountId, o.IdempotencyKey }).IsUnique();
        b.HasIndex(o => o.Status);
    }
}

internal sealed class AutoRenewAttemptConfiguration : IEntityTypeConfiguration<AutoRenewAttempt>
{
    public void Configure(EntityTypeBuilder<AutoRenewAttempt> b)
    {
        b.ToTable("AutoRenewAttempts");
        b.Property(a => a.Channel).HasMaxLength(10);
        b.Property(a => a.Plan).HasMaxLength(20);
        b.Property(a => a.Status).HasMaxLength(10);
        b.HasIndex(a => new { a.Status, a.DueAt });
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.ToTable("Alerts");
        b.Property(a => a.Channel).HasMaxLength(10);
        b.Property(a => a.Kind).HasMaxLength(30);
        b.HasIndex(a => new { a.AccountId, a.At });
        b.HasIndex(a => a.DeliveredAt);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasIndex(a => new { a.AccountId, a.At });
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("ApiKeys");
        b.Property(k => k.Hash).HasMaxLength(64);
        b.Property(k => k.Prefix).HasMaxLength(20);
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasIndex(k => k.AccountId);
    }
}
