#!/usr/bin/env bash
# The API benchmark of the token service: enrolments per second through POST /token/init with concurrent clients,
# and GET /token/ times with 1,000 and 100,000 tokens. Runs the portal as its own Release process on loopback.
# Usage: bench/api.sh [seconds per enrolment run, default 10] [concurrent clients, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
clients=${2:-8}
dotnet build -c Release -v q -nologo CertTokenPortal/CertTokenPortal.csproj >/dev/null
dotnet build -c Release -v q -nologo bench/CertTokenPortal.ApiBench/CertTokenPortal.ApiBench.csproj >/dev/null
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
dotnet bench/CertTokenPortal.ApiBench/bin/Release/net10.0/CertTokenPortal.ApiBench.dll \
  "CertTokenPortal/bin/Release/net10.0/CertTokenPortal.dll" "$seconds" "$clients"
