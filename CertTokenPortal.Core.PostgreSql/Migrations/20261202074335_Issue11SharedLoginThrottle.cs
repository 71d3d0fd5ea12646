using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Issue11SharedLoginThrottle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LoginFailureCounts",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Failures = table.Column<int>(type: "integer", nullable: false),
                    BlockedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LoginFailureCounts", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LoginFailureCounts_ExpiresAt",
                table: "LoginFailureCounts",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LoginFailureCounts");
        }
    }
}
