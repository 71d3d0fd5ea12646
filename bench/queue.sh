#!/usr/bin/env bash
# GET /token/ times while RSA-4096 key generations wait in the bounded work queue (issue: "the server stays up"),
# how many requests the default queue answers 503, and that clients who gave up leave no tokens behind.
# Runs the portal as its own Release process on loopback. Usage: bench/queue.sh [requests, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200}
dotnet build -c Release -v q -nologo -m:1 CertTokenPortal/CertTokenPortal.csproj >/dev/null
dotnet build -c Release -v q -nologo -m:1 bench/CertTokenPortal.ApiBench/CertTokenPortal.ApiBench.csproj >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
dotnet bench/CertTokenPortal.ApiBench/bin/Release/net10.0/CertTokenPortal.ApiBench.dll \
  "CertTokenPortal/bin/Release/net10.0/CertTokenPortal.dll" queue "$requests"
