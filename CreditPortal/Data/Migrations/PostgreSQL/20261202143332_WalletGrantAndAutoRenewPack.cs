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
            migrationBuilder.AddColumn<string>(
                name: "AutoRenewPackId",
                table: "Wallets",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastGrantCredits",
                table: "Wallets",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Lots.RemindedDaysBefore came with the SQLite migration ExpiryReminders (issue #17) and was missing from this set.
            migrationBuilder.AddColumn<int>(
                name: "RemindedDaysBefore",
                table: "Lots",
                type: "integer",
                nullable: true);

            // Wallets that bought or were granted plan credits before: the latest such lot is their base (lot ids grow with time).
            migrationBuilder.Sql("""
                UPDATE "Wallets" SET "LastGrantCredits" = COALESCE((
                    SELECT l."Quantity" FROM "Lots" l
                    WHERE l."WalletId" = "Wallets"."Id" AND l."Kind" IN ('Purchased', 'Plan')
                    ORDER BY l."Id" DESC LIMIT 1), 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AutoRenewPackId",
                table: "Wallets");

            migrationBuilder.DropColumn(
                name: "LastGrantCredits",
                table: "Wallets");

            migrationBuilder.DropColumn(
                name: "RemindedDaysBefore",
                table: "Lots");
        }
    }
}
