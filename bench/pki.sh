#!/usr/bin/env bash
# PKI benchmark, one run on this machine: issuance from CSRs through the local CA connector (RSA-3072 and EC P-384 CA
# keys) beside `openssl speed` and an `openssl ca -batch` loop over the same CSRs (how privacyIDEA's local CA signs),
# key generation + PKCS#12 per key type, and CRL generation for 100,000 revoked entries.
# Settings (environment): CSRS (default 200), RUN_SECONDS per issuance run (5), CA_LOOP CSRs for openssl ca (100).
set -euo pipefail
cd "$(dirname "$0")/.."

csrs=${CSRS:-200}
run_seconds=${RUN_SECONDS:-5}
ca_loop=${CA_LOOP:-100}
work=$(mktemp -d /tmp/ctp-pki-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release bench/CertTokenPortal.Bench -v quiet -nologo >/dev/null

echo "machine: $(nproc) cores, $(openssl version), dotnet $(dotnet --version), load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. openssl's raw sign rate for the two CA keys.
speed_rsa=$(openssl speed -seconds 3 rsa3072 2>/dev/null | awk '/^rsa 3072 bits/ {print $6}')
speed_ec=$(openssl speed -seconds 3 ecdsap384 2>/dev/null | awk '/nistp384/ {print $7}')

# 2. The portal's engine (writes the CSRs it signs into $work/csrs for the openssl ca loop).
dotnet bench/CertTokenPortal.Bench/bin/Release/net10.0/CertTokenPortal.Bench.dll "$work/csrs" "$csrs" "$run_seconds" > "$work/results.txt"
get() { awk -F= -v k="$1" '$1 == k {print $2}' "$work/results.txt"; }

# 3. openssl ca -batch, one process per CSR, with the same extensions as the portal's "user" template.
openssl_ca_rate() { # $1 = name, $2.. = -newkey arguments for the CA key; prints certificates per second
  local dir="$work/$1" md=$3
  mkdir -p "$dir/newcerts"
  : > "$dir/index.txt"
  openssl req -x509 -newkey "$2" ${4:+-pkeyopt "$4"} -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -subj "/CN=openssl ca bench $1" -days 3650 2>/dev/null
  cat > "$dir/ca.cnf" <<CNF
[ ca ]
default_ca = bench
[ bench ]
database = $dir/index.txt
new_certs_dir = $dir/newcerts
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = $md
default_days = 365
policy = anything
unique_subject = no
x509_extensions = user
[ anything ]
commonName = supplied
organizationName = optional
[ user ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth,emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://bench.test/ca/bench/crl
authorityInfoAccess = OCSP;URI:http://bench.test/ca/bench/ocsp,caIssuers;URI:http://bench.test/ca/bench/cert
CNF
  local files=("$work"/csrs/*.csr)
  files=("${files[@]:0:$ca_loop}")
  # bash's time: wall clock, and user + system CPU of the openssl processes.
  local TIMEFORMAT='%R %U %S' times
  times=$( { time (for f in "${files[@]}"; do
    openssl ca -batch -config "$dir/ca.cnf" -rand_serial -notext -in "$f" -out "$dir/last.pem" 2>/dev/null
  done) ; } 2>&1 )
  echo "$times" | awk -v n="${#files[@]}" '{ printf "%.1f %.1f", n / $1, n / ($2 + $3) }'
}
read -r ca_rsa_wall ca_rsa <<< "$(openssl_ca_rate rsa3072 rsa:3072 sha256)"
read -r ca_ec_wall ca_ec <<< "$(openssl_ca_rate ecp384 ec sha384 ec_paramgen_curve:P-384)"

verdict() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? "met" : "NOT met" }'; }
half() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 2 }'; }
tenfold() { awk -v a="$1" 'BEGIN { printf "%.1f", a * 10 }'; }

echo
echo "Issuance from CSR (RSA-2048 CSRs; parse + verify + sign + ledger row, through the local CA connector)."
echo "Per CPU second of the issuing thread, as openssl speed counts (it divides by its thread's CPU time);"
echo "in brackets: per CPU second of the whole .NET process, and per wall-clock second. openssl ca: per CPU second"
echo "of its processes (wall clock in brackets)."
row() { # label, key
  local rate; rate=$(get "issue_$2_per_thread_cpu_s")
  printf "  %-9s portal %7s (%7s, %7s) | openssl speed sign %7s, target >= %7s: %-7s | openssl ca loop %5s (%5s), target >= %6s: %s\n" \
    "$1" "$rate" "$(get "issue_$2_per_cpu_s")" "$(get "issue_$2_per_s")" "$3" "$(half "$3")" "$(verdict "$rate" "$(half "$3")")" \
    "$4" "$5" "$(tenfold "$4")" "$(verdict "$rate" "$(tenfold "$4")")"
}
row "RSA-3072" rsa3072 "$speed_rsa" "$ca_rsa" "$ca_rsa_wall"
row "EC P-384" ecp384 "$speed_ec" "$ca_ec" "$ca_ec_wall"
echo "With $(nproc) concurrent issuers (wall clock), against the openssl ca loop's wall-clock rate:"
for k in rsa3072:"$ca_rsa_wall" ecp384:"$ca_ec_wall"; do
  rate=$(get "issue_${k%%:*}_parallel_per_s")
  printf "  %-9s portal %7s/s, %sx the openssl ca loop (target >= 10x: %s)\n" "${k%%:*}" "$rate" \
    "$(awk -v a="$rate" -v b="${k#*:}" 'BEGIN { printf "%.1f", a / b }')" "$(verdict "$rate" "$(tenfold "${k#*:}")")"
done
echo "  CSR parse + signature check alone: $(get parse_rsa3072_us) us (first run), $(get parse_ecp384_us) us (second run)"

echo
echo "Server-side key generation + PKCS#12 (100,000 PBKDF2 iterations per KDF), milliseconds per enrolment:"
printf "  %-9s %10s %10s %10s\n" "key" "keygen" "pkcs12" "total"
for k in rsa2048 rsa3072 rsa4096 ecp256 ecp384; do
  printf "  %-9s %10s %10s %10s\n" "$k" "$(get "genkey_${k}_key_ms")" "$(get "genkey_${k}_pkcs12_ms")" "$(get "genkey_${k}_total_ms")"
done

echo
echo "CRL with 100,000 revoked entries:"
for k in rsa3072 ecp384; do
  openssl crl -in "$work/csrs/crl100k_$k.der" -inform DER -CAfile "$work/csrs/ca_$k.pem" -noout -verify 2>&1 | grep -q "verify OK" \
    && ok="openssl verifies it" || ok="openssl does NOT verify it"
  printf "  %-9s build %8s ms | publish through the CA (read ledger, build, store) %8s ms | %s bytes, %s\n" \
    "$k" "$(get "crl100k_${k}_build_ms")" "$(get "crl100k_${k}_publish_ms")" "$(get "crl100k_${k}_bytes")" "$ok"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
