using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class WalletGrantAndAutoRenewPack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Wallets.LastGrantCredits and Lots.RemindedDaysBefore arrive in ExpiryRemindersAndLastGrant, the next migration.
            migrationBuilder.AddColumn<string>(
                name: "AutoRenewPackId",
                table: "Wallets",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AutoRenewPackId",
                table: "Wallets");
        }
    }
}
