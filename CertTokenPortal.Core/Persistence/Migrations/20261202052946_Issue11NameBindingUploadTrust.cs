using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Issue11NameBindingUploadTrust : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UploadTrust",
                table: "Tokens",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AllowedRdns",
                table: "CertificateTemplates",
                type: "TEXT",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AllowedSanTypes",
                table: "CertificateTemplates",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DnsPatterns",
                table: "CertificateTemplates",
                type: "TEXT",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "EmailPatterns",
                table: "CertificateTemplates",
                type: "TEXT",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "MaxSans",
                table: "CertificateTemplates",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "StaffOnly",
                table: "CertificateTemplates",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "SubjectSource",
                table: "CertificateTemplates",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // DATA MIGRATION: templates made before names were bound get safe rules. Server templates (serverAuth) take
            // names from the request (subject attributes CN,O,OU,L,ST,C; DNS and IP SANs when they copied SANs) and
            // become staff only; every other template takes its names from the owner's account.
            migrationBuilder.Sql("UPDATE \"CertificateTemplates\" SET \"MaxSans\" = 10, \"SubjectSource\" = 'owner';");
            migrationBuilder.Sql("UPDATE \"CertificateTemplates\" SET \"SubjectSource\" = 'csr', \"AllowedRdns\" = 'CN,O,OU,L,ST,C', \"StaffOnly\" = TRUE WHERE \"ExtendedKeyUsage\" LIKE '%serverAuth%';");
            migrationBuilder.Sql("UPDATE \"CertificateTemplates\" SET \"AllowedSanTypes\" = 'DNS,IP' WHERE \"SubjectSource\" = 'csr' AND \"CopySans\" = TRUE;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UploadTrust",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "AllowedRdns",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "AllowedSanTypes",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "DnsPatterns",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "EmailPatterns",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "MaxSans",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "StaffOnly",
                table: "CertificateTemplates");

            migrationBuilder.DropColumn(
                name: "SubjectSource",
                table: "CertificateTemplates");
        }
    }
}
