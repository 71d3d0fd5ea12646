#!/usr/bin/env bash
# Where an enrolment's time goes: the published portal (Release, Production, SQLite) under wrk's 8 connections of
# POST /token/init (EC P-256 CA), traced for 10 s with dotnet-trace (a dotnet tool of this repository), summarised by
# bench/profile-summary.py by request phase and by technology. Usage: bench/profile.sh [output directory]
# ROUTES: a list of enrol (the default), list (GET /token/?pagesize=10), cert (GET /ca/benchEC/cert), ocsp (POST /ca/benchEC/ocsp)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-$(mktemp -d /tmp/ctp-profile.XXXXXX)}
mkdir -p "$out"
port=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
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
echo 'wrk.headers["Authorization"] = os.getenv("BENCH_TOKEN")' > "$out/get.lua"
for route in ${ROUTES:-enrol}; do
case $route in
  enrol) script=$out/enrol.lua path=/token/init ;;
  list) script=$out/get.lua path="/token/?pagesize=10" ;;
  cert) script=$out/get.lua path=/ca/benchEC/cert ;;
  ocsp)
    curl -sf -H "Authorization: $token" "$base/token/init" -d type=certificate -d ca=benchEC -d template=user \
      --data-urlencode "request@$out/1.csr" | jq -r .detail.certificate > "$out/leaf.pem"
    curl -sf "$base/ca/benchEC/cert.pem" -o "$out/ca.pem"
    openssl ocsp -issuer "$out/ca.pem" -cert "$out/leaf.pem" -no_nonce -reqout "$out/ocsp.der" >/dev/null 2>&1
    printf 'local f = io.open("%s", "rb"); wrk.body = f:read("*a"); f:close()\nwrk.method = "POST"\nwrk.headers["Content-Type"] = "application/ocsp-request"\n' "$out/ocsp.der" > "$out/ocsp.lua"
    script=$out/ocsp.lua path=/ca/benchEC/ocsp ;;
  *) echo "ROUTES holds enrol, list, cert or ocsp"; exit 2 ;;
esac
BENCH_TOKEN=$token wrk -t2 -c8 -d8s -s "$script" "$base$path" >/dev/null # warm-up
BENCH_TOKEN=$token wrk -t2 -c8 -d14s -s "$script" "$base$path" > "$out/$route.wrk.txt" & w=$!
sleep 2
dotnet dotnet-trace collect -p "$pid" --duration 00:00:00:10 -o "$out/$route.nettrace" >/dev/null
wait "$w"
dotnet dotnet-trace convert "$out/$route.nettrace" --format speedscope -o "$out/$route" >/dev/null
rate=$(awk '/Requests\/sec/ {print $2}' "$out/$route.wrk.txt")
echo; echo "$route requests/s during the trace: $rate (load $(cut -d' ' -f1 /proc/loadavg))"
python3 "$root/bench/profile-summary.py" "$out/$route.speedscope.json" "$(awk -v r="$rate" 'BEGIN { printf "%d", r * 10 }')"
done
