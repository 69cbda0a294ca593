using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_Report_History",
                table: "LedgerEntries",
                columns: new[] { "AccountId", "At" },
                filter: "\"Kind\" <> 'Consumption'");

            migrationBuilder.CreateIndex(
                name: "IX_Consumptions_Report_DecidedAt",
                table: "Consumptions",
                columns: new[] { "AccountId", "DecidedAt", "ListId", "Channel", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_Report_History",
                table: "LedgerEntries");

            migrationBuilder.DropIndex(
                name: "IX_Consumptions_Report_DecidedAt",
                table: "Consumptions");
        }
    }
}
