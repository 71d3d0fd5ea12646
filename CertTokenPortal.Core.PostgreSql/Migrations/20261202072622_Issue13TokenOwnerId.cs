using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Issue13TokenOwnerId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "Tokens",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_OwnerId",
                table: "Tokens",
                column: "OwnerId");
            // DATA MIGRATION: existing tokens get the id of the account that holds their owner name in their realm
            // (local account or directory shadow; Identity normalises names to upper case). Tokens of deleted accounts
            // keep a null owner id: they stay listed for staff with their history and belong to no new account.
            migrationBuilder.Sql("UPDATE \"Tokens\" SET \"OwnerId\" = (SELECT u.\"Id\" FROM \"AspNetUsers\" u WHERE u.\"NormalizedUserName\" = UPPER(\"Tokens\".\"OwnerUserName\") AND u.\"Realm\" = \"Tokens\".\"OwnerRealm\") WHERE \"OwnerUserName\" <> '';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tokens_OwnerId",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "Tokens");
        }
    }
}
