#!/usr/bin/env bash
# The issue-15 table in one run: the published portal (Release, Production, SQLite) under wrk with 8 connections,
# beside `openssl speed -multi 2` and an `openssl ca -batch` loop measured in the same run, with the load average.
# Then a regression check against a saved baseline (bench/baseline.json): a figure worse by more than NOISE percent
# (default 15) is flagged and the script exits 3.
# Usage: bench/run.sh [--save-baseline]   Settings (environment): SECONDS_PER_RUN (5), CONNECTIONS (8), NOISE (15),
#        BASELINE (bench/baseline.json, or bench/baseline-postgresql.json with DB=postgresql), PORT (a free one),
#        RESULTS (where the JSON of this run goes; default a temp file),
#        DB (sqlite, or postgresql: a throw-away cluster of Debian's postgresql started as the postgres user; needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
run_s=${SECONDS_PER_RUN:-5}
conns=${CONNECTIONS:-8}
noise=${NOISE:-15}
db=${DB:-sqlite}
case $db in
  sqlite) baseline=${BASELINE:-$root/bench/baseline.json} ;;
  postgresql) baseline=${BASELINE:-$root/bench/baseline-postgresql.json} ;;
  *) echo "DB is sqlite or postgresql"; exit 2 ;;
esac
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# A free port by default: several people's benchmarks on one machine must not answer each other's requests.
port=${PORT:-$(free_port)}
work=$(mktemp -d /tmp/ctp-bench.XXXXXX)
results=${RESULTS:-$work/results.json}
portal_pid=
pg_bin=
cleanup() {
  if [[ -n $portal_pid ]]; then kill "$portal_pid" 2>/dev/null; wait "$portal_pid" 2>/dev/null; fi
  if [[ -n $pg_bin ]]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
load() { cut -d' ' -f1 /proc/loadavg; }

dotnet publish -c Release -v q -nologo -m:1 CertTokenPortal/CertTokenPortal.csproj -o "$work/app" >/dev/null
echo "machine: $(nproc) cores, $(openssl version | cut -d' ' -f1-2), dotnet $(dotnet --version), $(date -u +%FT%TZ), load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the database (SQLite: a file in the data directory; PostgreSQL: its own cluster, durable settings) ------------
database=()
if [[ $db == postgresql ]]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_port=$(free_port)
  chmod 755 "$work"; install -d -o postgres "$work/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  database=(Portal__Database__Provider=postgresql "ConnectionStrings__Portal=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Maximum Pool Size=100")
fi

# --- the portal -----------------------------------------------------------------------------------------------
base=http://127.0.0.1:$port
admin_password='Bench-Admin-Passw0rd!'
( cd "$work/app" && exec env "${database[@]}" ASPNETCORE_ENVIRONMENT=Production Portal__DataDirectory="$work/data" Portal__Admin__Password="$admin_password" \
  Portal__PublicBaseUrl="$base" Portal__RateLimits__Enabled=false Logging__LogLevel__Default=Warning \
  dotnet CertTokenPortal.dll --urls "$base" >"$work/portal.log" 2>&1 ) &
portal_pid=$!
for _ in $(seq 1 360); do curl -sf -o /dev/null "$base/ca/localCA/cert" && break; sleep 0.5; done
if ! kill -0 "$portal_pid" 2>/dev/null || ! curl -sf -o /dev/null "$base/ca/localCA/cert"; then
  echo "the portal did not start:"; tail -20 "$work/portal.log"; exit 1
fi
token=$(curl -sf "$base/auth" -d username=admin --data-urlencode "password=$admin_password" | jq -r .result.value.token)
api() { curl -sf -H "Authorization: $token" "$@"; }
api -o /dev/null "$base/caconnector/benchEC" -d type=local --data-urlencode "subject=CN=Bench EC Root" -d keytype=ec -d curve=P-256
api -o /dev/null "$base/caconnector/benchEC/template/user" -d days=365 -d key_usage=digitalSignature,keyEncipherment \
  -d extended_key_usage=clientAuth,emailProtection -d subject_source=csr -d default=1

# --- clients' CSRs (RSA-2048, as most clients send) and the wrk scripts -----------------------------------------
mkdir -p "$work/csrs"
for i in $(seq -w 1 32); do
  openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -subj "/CN=bench$i/O=Bench" -out "$work/csrs/$i.csr" 2>/dev/null
done
{
  echo "local csrs = {"
  for f in "$work"/csrs/*.csr; do printf '  %s,\n' "$(python3 -c 'import sys,urllib.parse; print(repr(urllib.parse.quote(open(sys.argv[1]).read(), safe="")))' "$f")"; done
  echo "}"
  cat <<'LUA'
local ca = os.getenv("BENCH_CA") .. "&template=" .. os.getenv("BENCH_TEMPLATE")
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_TOKEN")
request = function()
  i = i + 1
  return wrk.format(nil, "/token/init", nil, "type=certificate&ca=" .. ca .. "&request=" .. csrs[(i % #csrs) + 1])
end
LUA
} > "$work/enrol.lua"
cat > "$work/get.lua" <<'LUA'
wrk.headers["Authorization"] = os.getenv("BENCH_TOKEN")
LUA
cat > "$work/ocsp.lua" <<'LUA'
local f = io.open(os.getenv("BENCH_OCSP"), "rb"); wrk.body = f:read("*a"); f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
LUA

# wrk's requests per second, and its count of non-2xx/3xx answers (a run with any is reported as failed)
wrk_rate() { # $1 seconds, $2 script, $3 path
  local out; out=$(BENCH_TOKEN=$token wrk -t2 -c"$conns" -d"${1}s" -s "$2" "$base$3")
  if grep -q "Non-2xx" <<<"$out"; then echo "FAILED($(grep Non-2xx <<<"$out" | awk '{print $NF}') bad)"; return; fi
  awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}
declare -A fig loads

enrol() { # $1 CA, $2 template (its subject taken from the CSR), $3 key
  export BENCH_CA=$1 BENCH_TEMPLATE=$2
  wrk_rate "$run_s" "$work/enrol.lua" /token/init >/dev/null # warm-up (JIT, caches)
  fig[enrol_$3]=$(wrk_rate "$run_s" "$work/enrol.lua" /token/init); loads[enrol_$3]=$(load)
}
enrol benchEC user ecp256
enrol localCA server rsa3072

# OCSP request for a certificate of the EC CA
api "$base/token/init" -d type=certificate -d ca=benchEC -d template=user --data-urlencode "request@$work/csrs/01.csr" | jq -r .detail.certificate > "$work/leaf.pem"
curl -sf "$base/ca/benchEC/cert.pem" -o "$work/ca.pem"
openssl ocsp -issuer "$work/ca.pem" -cert "$work/leaf.pem" -no_nonce -reqout "$work/ocsp.der" >/dev/null 2>&1
export BENCH_OCSP=$work/ocsp.der

get() { # $1 key, $2 script, $3 path
  wrk_rate 2 "$2" "$3" >/dev/null
  fig[$1]=$(wrk_rate "$run_s" "$2" "$3"); loads[$1]=$(load)
}
get token_list "$work/get.lua" "/token/?pagesize=10"
get ca_cert "$work/get.lua" /ca/benchEC/cert
get ca_crl "$work/get.lua" /ca/benchEC/crl
get ocsp "$work/ocsp.lua" /ca/benchEC/ocsp
kill "$portal_pid"; wait "$portal_pid" 2>/dev/null || true; portal_pid=

# --- the limits, measured now ------------------------------------------------------------------------------------
fig[speed_rsa3072]=$(openssl speed -multi 2 -seconds 2 rsa3072 2>/dev/null | awk '/^rsa 3072 bits/ {printf "%.0f", $6}'); loads[speed_rsa3072]=$(load)
fig[speed_ecp256]=$(openssl speed -multi 2 -seconds 2 ecdsap256 2>/dev/null | awk '/nistp256/ {printf "%.0f", $7}'); loads[speed_ecp256]=$(load)
ca_loop() { # privacyIDEA's method: one `openssl ca -batch` process per certificate, RSA-3072 CA, 40 CSRs twice over
  local d=$work/openssl-ca; mkdir -p "$d/newcerts"; : > "$d/index.txt"
  openssl req -x509 -newkey rsa:3072 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=openssl ca bench" -days 3650 2>/dev/null
  printf '[ca]\ndefault_ca=b\n[b]\ndatabase=%s/index.txt\nnew_certs_dir=%s/newcerts\ncertificate=%s/ca.pem\nprivate_key=%s/ca.key\ndefault_md=sha256\ndefault_days=365\npolicy=p\nunique_subject=no\nx509_extensions=u\n[p]\ncommonName=supplied\norganizationName=optional\n[u]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth,emailProtection\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' "$d" "$d" "$d" "$d" > "$d/ca.cnf"
  local start end n=0
  start=$(date +%s.%N)
  for f in "$work"/csrs/*.csr "$work"/csrs/*.csr; do
    openssl ca -batch -config "$d/ca.cnf" -rand_serial -notext -in "$f" -out "$d/last.pem" 2>/dev/null; n=$((n + 1))
  done
  end=$(date +%s.%N)
  awk -v n=$n -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }'
}
fig[openssl_ca]=$(ca_loop); loads[openssl_ca]=$(load)

# --- the table -------------------------------------------------------------------------------------------------
goal() { awk -v a="${1//[^0-9.]/}" -v b="$2" 'BEGIN { if (a == "") print "failed"; else print (a + 0 >= b + 0) ? "met" : "NOT met" }'; }
g_ec=$((fig[openssl_ca] * 10)); g_rsa=$((fig[speed_rsa3072] / 2))
echo
printf "%-34s %10s  %-44s %-8s %s\n" "request ($conns connections, $db)" "per second" "goal (limit measured in this run)" "verdict" "load"
row() { printf "%-34s %10s  %-44s %-8s %s\n" "$1" "${fig[$2]}" "$3" "$(goal "${fig[$2]}" "$4")" "${loads[$2]}"; }
row "POST /token/init CSR, EC P-256 CA" enrol_ecp256 ">= 10x openssl ca loop = $g_ec" "$g_ec"
row "POST /token/init CSR, RSA-3072 CA" enrol_rsa3072 ">= 1/2 openssl speed rsa3072 = $g_rsa" "$g_rsa"
row "GET /token/?pagesize=10" token_list ">= 5000" 5000
row "GET /ca/<name>/cert" ca_cert ">= 15000" 15000
row "GET /ca/<name>/crl" ca_crl ">= 15000" 15000
row "POST /ca/<name>/ocsp" ocsp ">= 5000" 5000
printf "%-34s %10s  %-44s %-8s %s\n" "openssl speed -multi 2 rsa3072 sign" "${fig[speed_rsa3072]}" "(limit)" "" "${loads[speed_rsa3072]}"
printf "%-34s %10s  %-44s %-8s %s\n" "openssl speed -multi 2 ecdsap256 sign" "${fig[speed_ecp256]}" "(limit)" "" "${loads[speed_ecp256]}"
printf "%-34s %10s  %-44s %-8s %s\n" "openssl ca -batch loop (RSA-3072)" "${fig[openssl_ca]}" "(privacyIDEA's method)" "" "${loads[openssl_ca]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the JSON of this run, and the regression check -------------------------------------------------------------
{
  printf '{"date":"%s","db":"%s","load":"%s","figures":{' "$(date -u +%FT%TZ)" "$db" "$(cut -d' ' -f1-3 /proc/loadavg)"
  sep=; for k in "${!fig[@]}"; do printf '%s"%s":%s' "$sep" "$k" "$(v=${fig[$k]//[^0-9.]/}; echo "${v:-0}")"; sep=,; done
  printf '}}\n'
} > "$results"
if [[ ${1:-} == --save-baseline ]]; then cp "$results" "$baseline"; echo "baseline saved: $baseline"; exit 0; fi
[[ -f $baseline ]] || { echo "no baseline at $baseline (bench/run.sh --save-baseline makes one)"; exit 0; }
echo; echo "regression check against $(jq -r '.date + " (load " + .load + ")"' "$baseline"), noise ${noise}%:"
worse=0
for k in enrol_ecp256 enrol_rsa3072 token_list ca_cert ca_crl ocsp; do
  was=$(jq -r ".figures.$k // 0" "$baseline"); now=$(jq -r ".figures.$k // 0" "$results")
  verdict=$(awk -v a="$now" -v b="$was" -v n="$noise" 'BEGIN { if (b > 0 && a < b * (1 - n / 100)) print "WORSE"; else print "ok" }')
  printf "  %-14s %8s -> %8s  %s\n" "$k" "$was" "$now" "$verdict"
  [[ $verdict == WORSE ]] && worse=1
done
[[ $worse == 0 ]] || { echo "a figure is worse than the baseline by more than the noise"; exit 3; }
