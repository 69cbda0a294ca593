using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyMonthlyCreditCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MonthlyCreditCap",
                table: "ApiKeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiKeyMonthlyUsage",
                columns: table => new
                {
                    ApiKeyId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    Credits = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeyMonthlyUsage", x => new { x.ApiKeyId, x.Month });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeyMonthlyUsage_AccountId",
                table: "ApiKeyMonthlyUsage",
                column: "AccountId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeyMonthlyUsage");

            migrationBuilder.DropColumn(
                name: "MonthlyCreditCap",
                table: "ApiKeys");
        }
    }
}
