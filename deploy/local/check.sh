#!/usr/bin/env bash
# Checks the running deployment's security settings against the real servers: each service's PostgreSQL role reaches
# its own database and no other, its RabbitMQ user has no administrator tag, nginx hides /internal/ and /metrics
# (whatever their case), the instances serve /metrics only with the token, and in Production the demo keys fail.
# bench/faults.sh (so ./test.sh) runs it on every fresh deployment. Ends with: checks passed=N failed=N
#
#   deploy/local/check.sh [--port 8080]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/.run"
source "$here/lib.sh"
port=8080
[ "${1:-}" = "--port" ] && port="$2"
[ -f "$run/config" ] || { echo "Nothing is deployed (no deploy/local/.run/config); run deploy/local/up.sh." >&2; exit 1; }
source "$run/config"

passed=0; failed=0
check() { # check DESCRIPTION EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "  ok    $1"; else failed=$((failed + 1)); echo "  FAIL  $1: expected $2, got $3"; fi
}
# connects AS DATABASE: "yes" when the service's role may open the database, else the server's reason.
connects() {
  local out
  if out=$(PGPASSWORD=$(secret "postgres-$1") psql -h localhost -U "printflow_$1" -d "printflow_$2" -qtAX -c 'select 1' 2>&1); then
    echo yes
  else
    grep -o 'permission denied for database[^"]*"\?[a-z_]*' <<<"$out" | head -1 | sed 's/^/refused: /' | grep . || echo "error: $out"
  fi
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

echo "== PostgreSQL: one role per service, its own database only"
check "printflow_shop opens printflow_shop" yes "$(connects shop shop)"
check "printflow_shop cannot open printflow_ordering" "refused: permission denied for database \"printflow_ordering" "$(connects shop ordering)"
check "printflow_ordering cannot open printflow_partners" "refused: permission denied for database \"printflow_partners" "$(connects ordering partners)"
check "printflow_shop is no superuser and cannot create roles or databases" "f|f|f" \
  "$(PGPASSWORD=$(secret postgres-shop) psql -h localhost -U printflow_shop -d printflow_shop -qtAX -c "select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user" 2>&1)"

echo "== RabbitMQ: one user per service, none an administrator"
users=$(rabbitmqctl -q list_users 2>/dev/null)
for s in "${services[@]}"; do
  check "printflow_$s has no tags" "[]" "$(awk -v u="printflow_$s" '$1 == u {print $2}' <<<"$users")"
done
check "every connection on the printflow vhost uses a service's own user" "" \
  "$(rabbitmqctl -q list_connections vhost user 2>/dev/null | awk '$1 == "printflow" && $2 !~ /^printflow_[a-z]+$/ {print $2}' | sort -u)"

echo "== nginx on port $port"
url="http://127.0.0.1:$port"
for path in /internal/accounts/validate /INTERNAL/accounts/validate /Internal/accounts/validate /%69nternal/accounts/validate //internal/accounts/validate; do
  check "POST $path through nginx" 404 "$(status -X POST -H 'Content-Type: application/json' -d '{}' "$url$path")"
done
for path in /metrics /METRICS /metrics/ /Metrics?x=1; do
  check "GET $path through nginx" 404 "$(status "$url$path")"
done
check "nginx adds X-Content-Type-Options" "nosniff" "$(curl -s -D - -o /dev/null "$url/login" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-content-type-options" {print $2}' | head -1)"
check "nginx refuses a 2 MiB form outside the upload paths" 413 "$(head -c 2097152 /dev/zero | status -X POST --data-binary @- "$url/mes/anything")"

echo "== The instances' /metrics (Prometheus scrapes them directly)"
instance="http://127.0.0.1:$(( ${base[ordering]} + 1 ))"
if [ "$environment" = Development ]; then
  check "ordering-1 /metrics with the token (Development)" 200 "$(status -H "Authorization: Bearer $(secret metrics-token)" "$instance/metrics")"
else
  check "ordering-1 /metrics without a token" 401 "$(status "$instance/metrics")"
  check "ordering-1 /metrics with the token" 200 "$(status -H "Authorization: Bearer $(secret metrics-token)" "$instance/metrics")"
  echo "== $environment: the published demo keys"
  for key in pfk_demo_0123456789abcdef pfk_load_0123456789abcdef; do
    check "partner API with ${key:0:8}…" 401 "$(status -H "X-Api-Key: $key" "$url/api/partners/v1/orders/00000000-0000-0000-0000-000000000001")"
  done
fi
check "partner API with the benchmark partner's generated key" 404 \
  "$(status -H "X-Api-Key: $(cat "$run/secrets/load-partner-key")" "$url/api/partners/v1/orders/00000000-0000-0000-0000-000000000001")"
check "GET /notifications/preferences with a forged token through nginx" 400 "$(status "$url/notifications/preferences?token=forged")"
check "secrets are readable by their owner only" "" "$(find "$run/secrets" -type f ! -perm 600)"

echo "checks passed=$passed failed=$failed"
[ "$failed" -eq 0 ]
