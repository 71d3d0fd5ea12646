#!/usr/bin/env bash
# Fuzzes every parser of outside input (CSR, certificate, PKCS#12, PEM key, OCSP request, API parameters) with
# 100,000 inputs each (FUZZ_ITERATIONS to change) and reports inputs and unhandled exceptions per parser.
# Exit status is non-zero when any parser threw.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_ITERATIONS="${FUZZ_ITERATIONS:-100000}"
dotnet build -v q -nologo CertTokenPortal.Tests
dotnet test --no-build CertTokenPortal.Tests --filter "FullyQualifiedName~Fuzzing.ParserFuzzTests" \
    --logger "console;verbosity=detailed" 2>&1 | tee /tmp/ctp-fuzz.log | grep -E "FUZZ |Passed!|Failed!|Failed " || true
grep -q "Failed!" /tmp/ctp-fuzz.log && exit 1 || exit 0
