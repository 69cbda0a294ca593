using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class WalletLastGrantCredits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastGrantCredits",
                table: "Wallets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

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
                name: "LastGrantCredits",
                table: "Wallets");
        }
    }
}
