#!/usr/bin/env bash
# Where an enrolment's time goes: the published portal (Release, Production, SQLite) under wrk's 8 connections of
# POST /token/init (EC P-256 CA), traced for 10 s with dotnet-trace (a dotnet tool of this repository), summarised by
# bench/profile-summary.py by request phase and by technology. Usage: bench/profile.sh [output directory]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-$(mktemp -d /tmp/ctp-profile.XXXXXX)}
mkdir -p "$out"
port=${PORT:-5394}
base=http://127.0.0.1:$port
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; [[ -n $pid ]] && wait "$pid" 2>/dev/null; true' EXIT
dotnet tool restore >/dev/null
dotnet publish -c Release -v q -nologo -m:1 CertTokenPortal/CertTokenPortal.csproj -o "$out/app" >/dev/null
( cd "$out/app" && ASPNETCORE_ENVIRONMENT=Production Portal__DataDirectory="$out/data" Portal__Admin__Password='Bench-Admin-Passw0rd!' \
  Portal__PublicBaseUrl="$base" Portal__RateLimits__Enabled=false Logging__LogLevel__Default=Warning \
  exec dotnet CertTokenPortal.dll --urls "$base" >"$out/portal.log" 2>&1 ) &
pid=$!
for _ in $(seq 1 360); do curl -sf -o /dev/null "$base/ca/localCA/cert" && break; sleep 0.5; done
token=$(curl -sf "$base/auth" -d username=admin --data-urlencode 'password=Bench-Admin-Passw0rd!' | jq -r .result.value.token)
curl -sf -o /dev/null -H "Authorization: $token" "$base/caconnector/benchEC" -d type=local --data-urlencode "subject=CN=Bench EC Root" -d keytype=ec -d curve=P-256
curl -sf -o /dev/null -H "Authorization: $token" "$base/caconnector/benchEC/template/user" -d days=365 \
  -d key_usage=digitalSignature,keyEncipherment -d extended_key_usage=clientAuth,emailProtection -d subject_source=csr -d default=1
{
  echo "local csrs = {"
  for i in 1 2 3 4 5 6 7 8; do
    openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -subj "/CN=p$i/O=Bench" -out "$out/$i.csr" 2>/dev/null
    printf '  %s,\n' "$(python3 -c 'import sys,urllib.parse; print(repr(urllib.parse.quote(open(sys.argv[1]).read(), safe="")))' "$out/$i.csr")"
  done
  cat <<'LUA'
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("BENCH_TOKEN")
request = function()
  i = i + 1
  return wrk.format(nil, "/token/init", nil, "type=certificate&ca=benchEC&template=user&request=" .. csrs[(i % #csrs) + 1])
end
LUA
} > "$out/enrol.lua"
BENCH_TOKEN=$token wrk -t2 -c8 -d8s -s "$out/enrol.lua" "$base/token/init" >/dev/null # warm-up
BENCH_TOKEN=$token wrk -t2 -c8 -d14s -s "$out/enrol.lua" "$base/token/init" > "$out/wrk.txt" & w=$!
sleep 2
dotnet dotnet-trace collect -p "$pid" --duration 00:00:00:10 -o "$out/enrol.nettrace" >/dev/null
wait "$w"
dotnet dotnet-trace convert "$out/enrol.nettrace" --format speedscope -o "$out/enrol" >/dev/null
rate=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
echo "enrolments/s during the trace: $rate (load $(cut -d' ' -f1 /proc/loadavg))"
python3 "$root/bench/profile-summary.py" "$out/enrol.speedscope.json" "$(awk -v r="$rate" 'BEGIN { printf "%d", r * 10 }')"
