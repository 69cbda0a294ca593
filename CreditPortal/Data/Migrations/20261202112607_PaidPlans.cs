using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class PaidPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MonthlyCredits",
                table: "Orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Plan",
                table: "Orders",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SubscriberCount",
                table: "Orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CycleIndex",
                table: "AutoRenewAttempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Plan",
                table: "AutoRenewAttempts",
                type: "TEXT",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MonthlyCredits",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "Plan",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "SubscriberCount",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "CycleIndex",
                table: "AutoRenewAttempts");

            migrationBuilder.DropColumn(
                name: "Plan",
                table: "AutoRenewAttempts");
        }
    }
}
