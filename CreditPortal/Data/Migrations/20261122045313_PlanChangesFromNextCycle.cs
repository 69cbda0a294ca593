using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanChangesFromNextCycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "NextMonthlyCredits",
                table: "Wallets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "NextSubscriberCount",
                table: "Wallets",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NextMonthlyCredits",
                table: "Wallets");

            migrationBuilder.DropColumn(
                name: "NextSubscriberCount",
                table: "Wallets");
        }
    }
}
