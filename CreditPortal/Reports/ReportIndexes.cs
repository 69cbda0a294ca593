using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Reports;

/// <summary>
/// The indexes the reports read through (migration ReportIndexes). Kept here, beside the SQL that names them
/// with INDEXED BY, rather than in the ledger's configurations: the ledger does not need them, and a query
/// that could not use its index fails loudly instead of silently scanning a million rows.
/// </summary>
internal static class ReportIndexes
{
    /// <summary>
    /// Consumptions by the instant they were decided: the drill-down and the Consumptions sheet bucket sends by
    /// the local day they were accepted or rejected, as ListDailyUsage does. List, channel and status are in the
    /// index so that counting a filtered drill-down never reads the table.
    /// </summary>
    public const string ConsumptionsByDecision = "IX_Consumptions_Report_DecidedAt";

    /// <summary>Ledger entries other than consumptions (a partial index: consumption entries cost it nothing).</summary>
    public const string LedgerHistory = "IX_LedgerEntries_Report_History";

    /// <summary>The partial index's condition; a query must repeat it word for word for SQLite to use the index.</summary>
    public const string LedgerHistoryFilter = "e.\"Kind\" <> 'Consumption'";

    internal sealed class ConsumptionIndexes : IEntityTypeConfiguration<Consumption>
    {
        public void Configure(EntityTypeBuilder<Consumption> b)
            => b.HasIndex(c => new { c.AccountId, c.DecidedAt, c.ListId, c.Channel, c.Status }, ConsumptionsByDecision);
    }

    internal sealed class LedgerEntryIndexes : IEntityTypeConfiguration<LedgerEntry>
    {
        public void Configure(EntityTypeBuilder<LedgerEntry> b)
            => b.HasIndex(e => new { e.AccountId, e.At }, LedgerHistory).HasFilter("\"Kind\" <> 'Consumption'");
    }
}
