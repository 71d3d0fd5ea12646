using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PoliciesApprovalsAttestation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AttestationInfo",
                table: "Tokens",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AttestationRoots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CertificatePem = table.Column<string>(type: "TEXT", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Thumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NotAfter = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttestationRoots", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PendingCertificateRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaConnectorId = table.Column<int>(type: "INTEGER", nullable: false),
                    CsrDer = table.Column<byte[]>(type: "BLOB", nullable: false),
                    TemplateName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OwnerUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    OwnerRealm = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OwnerEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SubjectComponents = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    CertificatePem = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingCertificateRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PendingCertificateRequests_CaConnectors_CaConnectorId",
                        column: x => x.CaConnectorId,
                        principalTable: "CaConnectors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Policies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Realms = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Policies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TokenOwnerLocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OwnerUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    OwnerRealm = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Enrolments = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenOwnerLocks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AttestationRoots_Name",
                table: "AttestationRoots",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AttestationRoots_Thumbprint",
                table: "AttestationRoots",
                column: "Thumbprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PendingCertificateRequests_CaConnectorId_Status",
                table: "PendingCertificateRequests",
                columns: new[] { "CaConnectorId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingCertificateRequests_RequestId",
                table: "PendingCertificateRequests",
                column: "RequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Policies_Name",
                table: "Policies",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TokenOwnerLocks_OwnerRealm_OwnerUserName",
                table: "TokenOwnerLocks",
                columns: new[] { "OwnerRealm", "OwnerUserName" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AttestationRoots");

            migrationBuilder.DropTable(
                name: "PendingCertificateRequests");

            migrationBuilder.DropTable(
                name: "Policies");

            migrationBuilder.DropTable(
                name: "TokenOwnerLocks");

            migrationBuilder.DropColumn(
                name: "AttestationInfo",
                table: "Tokens");
        }
    }
}
