using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Issue11Issue13OwnerIdNamesThrottle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "Tokens",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OwnerDisplayName",
                table: "PendingCertificateRequests",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OwnerEmailSan",
                table: "CertificateTemplates",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "SubjectCommonName",
                table: "CertificateTemplates",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "username");

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Surname",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LoginFailureCounts",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    BlockedUntil = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LoginFailureCounts", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_OwnerId",
                table: "Tokens",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_LoginFailureCounts_ExpiresAt",
                table: "LoginFailureCounts",
                column: "ExpiresAt");

            // DATA MIGRATION: existing tokens get the id of the account that holds their owner name in their realm
            // (local account or directory shadow; Identity normalises names to upper case). Tokens of deleted accounts
            // keep a null owner id: they stay listed for staff with their history and belong to no new account.
            migrationBuilder.Sql("UPDATE \"Tokens\" SET \"OwnerId\" = (SELECT u.\"Id\" FROM \"AspNetUsers\" u WHERE u.\"NormalizedUserName\" = UPPER(\"Tokens\".\"OwnerUserName\") AND u.\"Realm\" = \"Tokens\".\"OwnerRealm\") WHERE \"OwnerUserName\" <> '';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LoginFailureCounts");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_OwnerId",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "OwnerDisplayName",
                table: "PendingCertificateRequests");

            migrationBuilder.DropColumn(
                name: "OwnerEmailSan",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "SubjectCommonName",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "GivenName",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Surname",
                table: "AspNetUsers");
        }
    }
}
