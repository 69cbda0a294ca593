using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerIndexesQueriesUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_ConsumptionId",
                table: "LedgerEntries");

            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_LotId",
                table: "LedgerEntries");

            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_WalletId",
                table: "LedgerEntries");

            migrationBuilder.DropIndex(
                name: "IX_Consumptions_AccountId_ListId_RequestedAt",
                table: "Consumptions");

            migrationBuilder.DropIndex(
                name: "IX_Consumptions_AccountId_RequestedAt",
                table: "Consumptions");

            migrationBuilder.DropIndex(
                name: "IX_Consumptions_WalletId_Status",
                table: "Consumptions");

            migrationBuilder.CreateIndex(
                name: "IX_Consumptions_AccountId",
                table: "Consumptions",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Consumptions_Queued",
                table: "Consumptions",
                column: "WalletId",
                filter: "\"Status\" = 'Queued'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Consumptions_AccountId",
                table: "Consumptions");

            migrationBuilder.DropIndex(
                name: "IX_Consumptions_Queued",
                table: "Consumptions");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_ConsumptionId",
                table: "LedgerEntries",
                column: "ConsumptionId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_LotId",
                table: "LedgerEntries",
                column: "LotId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_WalletId",
                table: "LedgerEntries",
                column: "WalletId");

            migrationBuilder.CreateIndex(
                name: "IX_Consumptions_AccountId_ListId_RequestedAt",
                table: "Consumptions",
                columns: new[] { "AccountId", "ListId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Consumptions_AccountId_RequestedAt",
                table: "Consumptions",
                columns: new[] { "AccountId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Consumptions_WalletId_Status",
                table: "Consumptions",
                columns: new[] { "WalletId", "Status" });
        }
    }
}
