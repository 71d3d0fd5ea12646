#!/usr/bin/env bash
# Adds an EF Core migration named <Name> for BOTH database providers, from the current model:
#   SQLite:     CertTokenPortal.Core/Persistence/Migrations
#   PostgreSQL: CertTokenPortal.Core.PostgreSql/Migrations
# Usage (from anywhere in the repository):
#   scripts/add-migration.sh <Name>                   both providers (what every schema change does)
#   scripts/add-migration.sh --postgresql-only <Name> only PostgreSQL (e.g. after regenerating, see below)
#   scripts/add-migration.sh --regenerate-postgresql  deletes the PostgreSQL migrations and makes one InitialCreate
#                                                     from the final model (done at integration while no PostgreSQL
#                                                     deployment exists that has applied them)
# No database is contacted. Hand-written data changes go into BOTH migrations, marked "// DATA MIGRATION:".
set -euo pipefail
cd "$(dirname "$0")/.."

sqlite=1
name=""
case "${1:-}" in
  --postgresql-only) sqlite=0; name="${2:-}" ;;
  --regenerate-postgresql) sqlite=0; name="InitialCreate"; rm -rf CertTokenPortal.Core.PostgreSql/Migrations ;;
  *) name="${1:-}" ;;
esac
if [[ ! "$name" =~ ^[A-Za-z][A-Za-z0-9_]*$ ]]; then
  echo "usage: $0 <MigrationName> | --postgresql-only <MigrationName> | --regenerate-postgresql" >&2
  exit 2
fi

dotnet tool restore >/dev/null
dotnet build CertTokenPortal -v q -nologo >/dev/null

if [ "$sqlite" = 1 ]; then
  Portal__Database__Provider=sqlite \
    dotnet ef migrations add "$name" --no-build --project CertTokenPortal.Core --startup-project CertTokenPortal \
      --output-dir Persistence/Migrations
fi
# The PostgreSQL provider needs a connection string to start, but "migrations add" never opens it.
Portal__Database__Provider=postgresql ConnectionStrings__Portal='Host=127.0.0.1;Database=design-time-only' \
  dotnet ef migrations add "$name" --project CertTokenPortal.Core.PostgreSql --startup-project CertTokenPortal \
    --output-dir Migrations
