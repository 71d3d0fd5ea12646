using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LocalCaCrlRevokedCount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CrlRevokedCount",
                table: "LocalCas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CrlRevokedCount",
                table: "LocalCas");
        }
    }
}
