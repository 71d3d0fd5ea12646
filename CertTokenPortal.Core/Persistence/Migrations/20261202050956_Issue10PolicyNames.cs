using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Issue10PolicyNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // DATA MIGRATION: stored policies take privacyIDEA's action names (the earlier names stay readable as aliases).
            migrationBuilder.Sql("UPDATE \"Policies\" SET \"Action\" = REPLACE(\"Action\", 'max_active_token_user', 'max_active_token_per_user') WHERE \"Action\" LIKE '%max_active_token_user%';");
            // DATA MIGRATION: the same for the total quota.
            migrationBuilder.Sql("UPDATE \"Policies\" SET \"Action\" = REPLACE(\"Action\", 'max_token_user', 'max_token_per_user') WHERE \"Action\" LIKE '%max_token_user%';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // DATA MIGRATION: back to the earlier names, which the older portal reads.
            migrationBuilder.Sql("UPDATE \"Policies\" SET \"Action\" = REPLACE(\"Action\", 'max_active_token_per_user', 'max_active_token_user') WHERE \"Action\" LIKE '%max_active_token_per_user%';");
            // DATA MIGRATION: the same for the total quota.
            migrationBuilder.Sql("UPDATE \"Policies\" SET \"Action\" = REPLACE(\"Action\", 'max_token_per_user', 'max_token_user') WHERE \"Action\" LIKE '%max_token_per_user%';");
        }
    }
}
