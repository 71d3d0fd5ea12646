using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CertTokenPortal.Core.PostgreSql.Migrations
{
    /// <summary>
    /// PostgreSQL only: a commit that changes a table the public CA routes' version stamps come from notifies the
    /// channel every instance listens on (PostgreSqlChangeSignal), so they need not read their stamps per request.
    /// Statement triggers: one notification per statement, and the server folds equal ones of one transaction.
    /// </summary>
    public partial class Issue15StampNotifications : Migration
    {
        private static readonly string[] Tables = ["CaConnectors", "LocalCas", "CacheVersions"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION certtokenportal_notify_stamps() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('certtokenportal_stamps', TG_TABLE_NAME);
                    RETURN NULL;
                END
                $$;
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{table}_notify_stamps" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
                    FOR EACH STATEMENT EXECUTE FUNCTION certtokenportal_notify_stamps();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{table}_notify_stamps" ON "{table}";""");
            }
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS certtokenportal_notify_stamps();");
        }
    }
}
