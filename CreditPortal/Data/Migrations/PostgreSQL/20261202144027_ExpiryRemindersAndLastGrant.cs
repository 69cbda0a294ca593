using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class ExpiryRemindersAndLastGrant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastGrantCredits",
                table: "Wallets",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "RemindedDaysBefore",
                table: "Lots",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastGrantCredits",
                table: "Wallets");

            migrationBuilder.DropColumn(
                name: "RemindedDaysBefore",
                table: "Lots");
        }
    }
}
