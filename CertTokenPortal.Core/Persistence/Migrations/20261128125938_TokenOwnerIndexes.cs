using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TokenOwnerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tokens_OwnerRealm_OwnerUserName",
                table: "Tokens");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_OwnerRealm",
                table: "Tokens",
                column: "OwnerRealm");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_OwnerUserName_OwnerRealm",
                table: "Tokens",
                columns: new[] { "OwnerUserName", "OwnerRealm" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tokens_OwnerRealm",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_OwnerUserName_OwnerRealm",
                table: "Tokens");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_OwnerRealm_OwnerUserName",
                table: "Tokens",
                columns: new[] { "OwnerRealm", "OwnerUserName" });
        }
    }
}
