using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Issue14Renewal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AllowSameKeyRenewal",
                table: "CertificateTemplates",
                type: "INTEGER",
                nullable: false,
                // DATA MIGRATION: existing templates allow same-key renewal, as new ones do.
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "RenewalWindowDays",
                table: "CertificateTemplates",
                type: "INTEGER",
                nullable: false,
                // DATA MIGRATION: existing templates get the default window of 30 days (0 would never open before expiry).
                defaultValue: 30);

            migrationBuilder.AddColumn<int>(
                name: "SupersededGraceDays",
                table: "CertificateTemplates",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TokenCertificates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<long>(type: "INTEGER", nullable: false),
                    TokenSerial = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    CaName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    TemplateName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CertificatePem = table.Column<string>(type: "TEXT", nullable: true),
                    CertificateSerial = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    NotBefore = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NotAfter = table.Column<DateTime>(type: "TEXT", nullable: true),
                    KeyDescription = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    RevokeAfter = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenCertificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TokenCertificates_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TokenCertificates_State_RevokeAfter",
                table: "TokenCertificates",
                columns: new[] { "State", "RevokeAfter" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenCertificates_TokenId_State",
                table: "TokenCertificates",
                columns: new[] { "TokenId", "State" });

            // DATA MIGRATION: every token that holds a certificate gets it as its current history row, so that the
            // history lists every certificate a token ever held from the first renewal on.
            migrationBuilder.Sql(
                """
                INSERT INTO "TokenCertificates" ("TokenId", "TokenSerial", "State", "Origin", "CaName", "TemplateName", "CertificatePem",
                    "CertificateSerial", "Subject", "NotBefore", "NotAfter", "KeyDescription", "CreatedBy", "CreatedAt")
                SELECT "Id", "Serial", 'current', 'enrolment', "CaName", "TemplateName", "CertificatePem",
                    "CertificateSerial", "Subject", "NotBefore", "NotAfter", "KeyDescription", "CreatedBy", "CreatedAt"
                FROM "Tokens" WHERE "RolloutState" = 'Enrolled' AND "CertificatePem" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TokenCertificates");

            migrationBuilder.DropColumn(
                name: "AllowSameKeyRenewal",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "RenewalWindowDays",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "SupersededGraceDays",
                table: "CertificateTemplates");
        }
    }
}
