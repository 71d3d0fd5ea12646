#!/usr/bin/env bash
# The scale-out benchmark: enrolments/s through POST /token/init with concurrent clients on SQLite (one instance), on
# PostgreSQL with one instance and with two instances on this machine (clients split between them), and GET /token/
# at 100,000 tokens on PostgreSQL. Starts its own PostgreSQL cluster (needs Debian's postgresql package).
# Usage: bench/postgres.sh [seconds per run, default 10] [concurrent clients, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
clients=${2:-8}
dotnet build -c Release -v q -nologo -m:1 CertTokenPortal/CertTokenPortal.csproj >/dev/null
dotnet build -c Release -v q -nologo -m:1 bench/CertTokenPortal.ApiBench/CertTokenPortal.ApiBench.csproj >/dev/null
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/CertTokenPortal.ApiBench/bin/Release/net10.0/CertTokenPortal.ApiBench.dll postgresql \
  "CertTokenPortal/bin/Release/net10.0/CertTokenPortal.dll" "$seconds" "$clients"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
