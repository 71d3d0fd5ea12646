#!/usr/bin/env bash
# Directory benchmark: login time (local account vs LDAP bind), owner search time with 1,000 and 10,000 directory
# users (first page and page 10 of 50), and time to a clear error when slapd is stopped mid-use. Runs its own
# slapd and the portal as separate processes on loopback. Usage: bench/ldap.sh [Release|Debug] [repetitions, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-Release}
reps=${2:-20}
dotnet build -c "$config" -v q -nologo -m:1 CertTokenPortal/CertTokenPortal.csproj >/dev/null
work=$(mktemp -d /tmp/ctp-ldap-bench.XXXXXX)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
slapd_pid=""; portal_pid=""
cleanup() { [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null || true; [ -n "$slapd_pid" ] && kill "$slapd_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_slapd() { # $1 = number of users
  rm -rf "$work/db" && mkdir -p "$work/db"
  cat > "$work/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
sizelimit unlimited
database mdb
maxsize 1073741824
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw root-secret
directory $work/db
index objectClass eq
index uid,mail,cn,displayName eq,sub
index entryUUID eq
CONF
  { printf 'dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n'
    printf 'dn: ou=people,dc=example,dc=org\nobjectClass: organizationalUnit\nou: people\n\n'
    for i in $(seq -w 1 "$1"); do
      printf 'dn: uid=person%s,ou=people,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: person%s\ncn: Person %s\nsn: %s\ndisplayName: Person %s\nmail: person%s@example.org\nuserPassword: Dir-Passw0rd!\n\n' "$i" "$i" "$i" "$i" "$i" "$i"
    done; } > "$work/data.ldif"
  slapadd -q -f "$work/slapd.conf" -l "$work/data.ldif"
  ldap_port=$(free_port)
  slapd -d 0 -f "$work/slapd.conf" -h "ldap://127.0.0.1:$ldap_port/" 2>/dev/null & slapd_pid=$!
  for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$ldap_port") 2>/dev/null && break; sleep 0.1; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1000 " ms"}'; }
api() { curl -s -o /dev/null -w '%{time_total}\n' "$@"; }

start_slapd 1000
port=$(free_port)
Portal__DataDirectory="$work/data" Portal__Admin__Password='Bench-Adm1n!' ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet "CertTokenPortal/bin/$config/net10.0/CertTokenPortal.dll" >/dev/null 2>&1 & portal_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 300); do curl -s -o /dev/null "$base/openapi/v1.json" && break; sleep 0.2; done
token=$(curl -s -d username=admin -d password='Bench-Adm1n!' "$base/auth" | python3 -c 'import json,sys;print(json.load(sys.stdin)["result"]["value"]["token"])')
resolver() { curl -s -o /dev/null -H "Authorization: $token" -d type=ldapresolver -d "LDAPURI=ldap://127.0.0.1:$ldap_port" \
  -d LDAPBASE=ou=people,dc=example,dc=org -d UIDTYPE=entryUUID -d SIZELIMIT=20000 -d TIMEOUT=2 -d CACHE_TIMEOUT=0 \
  --data-urlencode 'USERINFO={"displayname":"displayName","email":"mail"}' "$base/resolver/corp-ldap"; }
resolver
curl -s -o /dev/null -H "Authorization: $token" -d resolvers=corp-ldap "$base/realm/corp"

echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ), $config build, median of $reps"
echo "login, local admin:       $(for _ in $(seq "$reps"); do api -d username=admin -d password='Bench-Adm1n!' "$base/auth"; done | median)"
echo "login, LDAP user:         $(for _ in $(seq "$reps"); do api -d username=person0001@corp -d password='Dir-Passw0rd!' "$base/auth"; done | median)"
search() { for _ in $(seq "$reps"); do api -H "Authorization: $token" "$base/user/?realm=corp&username=person&pagesize=50&page=$1"; done | median; }
echo "owner search, 1,000 users: page 1 $(search 1), page 10 $(search 10)"
kill "$slapd_pid"; wait "$slapd_pid" 2>/dev/null || true
start_slapd 10000
resolver
echo "owner search, 10,000 users: page 1 $(search 1), page 10 $(search 10)"
kill -STOP "$slapd_pid"
echo "slapd hung (SIGSTOP), TIMEOUT=2: login answers $(api -d username=person0002@corp -d password='Dir-Passw0rd!' "$base/auth" | awk '{print $1*1000 " ms"}') ($(curl -s -o /dev/null -w '%{http_code}' -d username=person0002@corp -d password='Dir-Passw0rd!' "$base/auth"))"
kill -CONT "$slapd_pid"; kill "$slapd_pid"; wait "$slapd_pid" 2>/dev/null || true
echo "slapd stopped mid-use:     login answers $(api -d username=person0003@corp -d password='Dir-Passw0rd!' "$base/auth" | awk '{print $1*1000 " ms"}') ($(curl -s -o /dev/null -w '%{http_code}' -d username=person0003@corp -d password='Dir-Passw0rd!' "$base/auth")), local admin $(api -d username=admin -d password='Bench-Adm1n!' "$base/auth" | awk '{print $1*1000 " ms"}')"
slapd_pid=""
