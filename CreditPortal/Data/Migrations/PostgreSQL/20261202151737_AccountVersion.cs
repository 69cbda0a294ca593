using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditPortal.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class AccountVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "Accounts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Version",
                table: "Accounts");
        }
    }
}
