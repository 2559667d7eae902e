#!/usr/bin/env bash
# Runs PrintFlow distributed on this machine: PostgreSQL (one database per service), RabbitMQ, every service as its
# own process (several of some) and nginx in front with the same URL layout as the embedded host.
#
#   deploy/local/up.sh [--port 8080] [--web N] [--pricing N] [--scale service=N ...] [--environment Development]
#                      [--printers N [--printer-speedup X]]
#
#   --web N          instances of each order channel (Shop, Partners); default 2
#   --pricing N      Pricing workers (competing consumers of price requests); default 2
#   --scale s=N      instances of any service (ordering, pricing, shop, partners, mes, crm, notifications); default 1
#   --port P         nginx port; default 8080 (the embedded host's port: stop it first)
#   --environment E  ASP.NET Core environment; default Production (no demo accounts, no developer error pages).
#                    Development seeds the demo accounts and keys of README.md for trying the pages by hand.
#   --fresh          start from empty databases and broker queues (the benchmarks use it)
#   --exact          refine every estimate with PrusaSlicer (Pricing:Exact:Enabled; off by default here, see lib.sh)
#   --printers N     also start the printer simulator (src/Tools/PrintFlow.PrinterSimulator) with N virtual OctoPrint
#                    printers on 127.0.0.1:5900 and print their URLs and API keys; --printer-speedup X (default 60)
#   --observability  also Prometheus (127.0.0.1:9090) scraping every instance and Alertmanager (127.0.0.1:9093)
#                    sending alerts to the on-call by email and webhook: settings in deploy/local/observability.sh
#
# Everything it starts is recorded under deploy/local/.run; deploy/local/down.sh stops it. Generated secrets (each
# service's database and broker password, the internal key, the metrics token, the benchmark partner's API key) are
# kept in deploy/local/.run/secrets (mode 0600) and reused by later runs. Each service connects to PostgreSQL as its
# own role printflow_<service>, which owns its database alone, and to RabbitMQ as its own user without the
# administrator tag. The benchmark partner (auto-confirms quotes, no rate limit to speak of) is created with a
# generated key: bench/lib.sh hands it to the load generator.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/.run"

port=8080
environment=Production
fresh=0
printers=0
printer_speedup=60
simulator_port=5900
observability=0
source "$here/lib.sh"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --web) scale[shop]="$2"; scale[partners]="$2"; shift 2 ;;
    --pricing) scale[pricing]="$2"; shift 2 ;;
    --scale)
      name="${2%%=*}"; count="${2#*=}"
      [ -n "${base[$name]:-}" ] || { echo "Unknown service '$name' (known: ${services[*]})" >&2; exit 2; }
      scale[$name]="$count"; shift 2 ;;
    --environment) environment="$2"; shift 2 ;;
    --production) environment=Production; shift ;; # the default now; kept for older scripts
    --fresh) fresh=1; shift ;;
    --exact) export Pricing__Exact__Enabled=true; shift ;;
    --printers) printers="$2"; shift 2 ;;
    --printer-speedup) printer_speedup="$2"; shift 2 ;;
    --observability) observability=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for s in "${services[@]}"; do
  [[ "${scale[$s]}" =~ ^[1-9][0-9]?$ ]] || { echo "--scale $s=${scale[$s]}: give 1 to 99 instances" >&2; exit 2; }
done
[[ "$printers" =~ ^[0-9]{1,3}$ ]] || { echo "--printers $printers: give 0 to 999 printers" >&2; exit 2; }
[[ "$printer_speedup" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--printer-speedup $printer_speedup: give a number" >&2; exit 2; }

if [ -f "$run/pids" ] && [ -s "$run/pids" ]; then
  echo "PrintFlow is already up (deploy/local/.run/pids exists). Run deploy/local/down.sh first." >&2
  exit 1
fi
# One deployment per machine: the ports, the databases and the broker's virtual host are fixed. Another one (from
# another checkout) or the embedded host holding a port is refused here, before anything is touched: a --fresh start
# would otherwise drop the running deployment's databases and queues.
taken=()
for p in "$port" $([ "$printers" -gt 0 ] && echo "$simulator_port") $(for s in "${services[@]}"; do seq $(( ${base[$s]} + 1 )) $(( ${base[$s]} + ${scale[$s]} )); done); do
  if port_taken "$p"; then
    holder=$(port_holder "$p")
    taken+=("$p${holder:+ by $holder}")
  fi
done
if [ ${#taken[@]} -eq 1 ] && [ "${taken[0]%% *}" = "$port" ]; then
  echo "Port $port (nginx) is already in use${taken[0]#"$port"}: stop what holds it (the embedded host?) or choose another with --port." >&2
  exit 1
elif [ ${#taken[@]} -gt 0 ]; then
  echo "Port(s) already in use: $(IFS=,; echo "${taken[*]}" | sed 's/,/, /g')." >&2
  echo "Another PrintFlow deployment (perhaps from another checkout: run its deploy/local/down.sh) or another program" >&2
  echo "holds the instances' fixed ports; one deployment runs per machine. Stop it first." >&2
  exit 1
fi
mkdir -p "$run/logs" "$run/data" "$run/nginx"
: > "$run/pids"
# A failed start leaves nothing half-running: whatever was started is stopped again.
trap 'status=$?; [ $status -ne 0 ] && { echo "Start-up failed; stopping what was started." >&2; "$here/down.sh" >/dev/null 2>&1; }; exit $status' EXIT

source "$root/scripts/lib.sh"

echo "== Servers"
# The servers outlive this script: they must not inherit its descriptors beyond stdio, such as the one of a caller's
# `flock /tmp/printflow-deploy.lock` (a server holding it keeps the machine-wide deployment lock taken for good).
without_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] && [ "$fd" -ne 255 ] && eval "exec $fd>&-" 2>/dev/null
  done
  "$@"
}
( without_inherited_fds "$root/scripts/start-postgres.sh" )
( without_inherited_fds "$root/scripts/start-rabbitmq.sh" )
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
command -v openssl >/dev/null 2>&1 || apt_install openssl # for the data-protection keys' certificate

echo "== Databases (one per service, each owned by its own role) and the broker's virtual host (a user per service)"
if [ "$fresh" -eq 1 ]; then
  for s in "${services[@]}"; do
    echo "drop database if exists printflow_$s with (force)" | psql_admin postgres >/dev/null
  done
  # The deployment's queues live in their own virtual host: dropping it empties every queue at once.
  "${as_root[@]}" rabbitmqctl -q delete_vhost printflow >/dev/null 2>&1 || true
  rm -rf "$run/data"
  mkdir -p "$run/data"
  echo "  fresh: databases dropped, queues deleted, model store emptied"
fi
if ! "${as_root[@]}" rabbitmqctl -q list_vhosts | awk '$1 == "printflow" { found = 1 } END { exit !found }'; then
  "${as_root[@]}" rabbitmqctl -q add_vhost printflow >/dev/null
fi
# The services' broker users: no administrator tag (no management, no other virtual host); on the printflow virtual
# host each declares its own queues and the shared exchange, so configure/write/read stay broad there. Passwords go
# to rabbitmqctl on stdin. "operator" is for people: printflow dlq --uri-file deploy/local/.run/secrets/rabbitmq-operator.uri
broker_users=("${services[@]}" operator)
existing_users=$("${as_root[@]}" rabbitmqctl -q list_users | awk '{print $1}')
for s in "${broker_users[@]}"; do
  user="printflow_$s"
  if grep -qx "$user" <<<"$existing_users"; then
    secret "rabbitmq-$s" | "${as_root[@]}" rabbitmqctl -q change_password "$user" >/dev/null
  else
    secret "rabbitmq-$s" | "${as_root[@]}" rabbitmqctl -q add_user "$user" >/dev/null
  fi
  "${as_root[@]}" rabbitmqctl -q set_user_tags "$user" >/dev/null
  "${as_root[@]}" rabbitmqctl -q set_permissions -p printflow "$user" '.*' '.*' '.*' >/dev/null
done
(umask 077; amqp_uri operator > "$run/secrets/rabbitmq-operator.uri")
# Each database is owned by its service's role and nobody else may connect (REVOKE ... FROM PUBLIC). The printflow
# role (the benchmarks' and scripts' administrator) is made a member of each, so it keeps reading them; the service
# roles are members of nothing. Tables a previous deployment created as printflow change owner too.
for s in "${services[@]}"; do
  role="printflow_$s"
  psql_admin postgres >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role LOGIN; END IF;
END \$\$;
ALTER ROLE $role WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$(secret "postgres-$s")';
GRANT $role TO printflow;
SELECT 'CREATE DATABASE $role OWNER $role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$role') \gexec
ALTER DATABASE $role OWNER TO $role;
REVOKE ALL ON DATABASE $role FROM PUBLIC;
SQL
  psql_admin "$role" >/dev/null <<SQL
DO \$\$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> '$role'::regrole LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO $role', r.name);
  END LOOP;
END \$\$;
SQL
done

echo "== Build (Release, ReadyToRun, published once into deploy/local/.run/bin)"
# ReadyToRun: every assembly (EF Core and Npgsql included) ships precompiled, so the many processes do not each
# JIT the same code on the two shared cores; measured, the JIT was half of the services' CPU in their first minute.
dotnet publish "$root/src/Hosts/PrintFlow.Host/PrintFlow.Host.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$run/bin" -nologo -v q -clp:ErrorsOnly >/dev/null

# The internal key of earlier deployments (kept beside .run before secrets had their folder) moves in.
[ -s "$run/internal-key" ] && [ ! -s "$run/secrets/internal-key" ] && (umask 077; mkdir -p "$run/secrets"; mv "$run/internal-key" "$run/secrets/internal-key")
# Made here, before the instances start side by side, so they cannot each generate their own.
secret internal-key >/dev/null
secret metrics-token >/dev/null
key_certificate || { echo "Could not make the data-protection certificate (openssl)." >&2; exit 1; }
# What restart.sh needs to start an instance again exactly like this.
{ echo "environment=$environment"; echo "port=$port"; declare -p scale; } > "$run/config"

echo "== Services"
# Each deployment logs afresh; the previous one's logs stay as *.log.1 (at Information, about 12 KB per order across
# the services: one line per handled message and request). restart.sh appends, so a crash and its restart stay together.
for log in "$run"/logs/*.log; do
  if [ -s "$log" ]; then mv -f "$log" "$log.1"; fi
done
for s in "${services[@]}"; do
  for i in $(seq 1 "${scale[$s]}"); do
    start_instance "$s" "$i"
  done
done
cp "$run/pids" "$run/instances"

echo "== nginx on port $port"
upstreams=""
for s in "${services[@]}"; do
  upstreams+="  upstream $s {"$'\n'
  for i in $(seq 1 "${scale[$s]}"); do upstreams+="    server 127.0.0.1:$(( ${base[$s]} + i )) max_fails=1 fail_timeout=2s;"$'\n'; done
  upstreams+="    keepalive 32;"$'\n'"  }"$'\n'
done
cat > "$run/nginx.conf" <<NGINX
# Generated by deploy/local/up.sh: the embedded host's URL layout over one process per service.
worker_processes 1;
pid $run/nginx/nginx.pid;
error_log $run/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $run/nginx/body;
  proxy_temp_path $run/nginx/proxy;
  fastcgi_temp_path $run/nginx/fastcgi;
  uwsgi_temp_path $run/nginx/uwsgi;
  scgi_temp_path $run/nginx/scgi;
  # Bodies no larger than the services accept (PrintFlow:MaxModelBytes, 256 MiB by default): one model per Shop
  # upload, Partners:MaxModelsPerOrder (20) models per partner order, plus the 1 MiB the endpoints allow for the
  # form; every other page takes forms only. Raise these with those settings.
  client_max_body_size 1m;
  # Security headers the services do not set themselves are added here (an empty value sends no header). HSTS
  # (Strict-Transport-Security) belongs on the TLS listener in front of this one: over plain HTTP browsers ignore it.
  map \$upstream_http_x_content_type_options \$pf_nosniff { "" nosniff; default ""; }
  map \$upstream_http_x_frame_options \$pf_frame_options { "" DENY; default ""; }
  map \$upstream_http_referrer_policy \$pf_referrer_policy { "" strict-origin-when-cross-origin; default ""; }
$upstreams
  server {
    listen 127.0.0.1:$port;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    # Live pages hold a server-sent-event stream open: no buffering, long reads.
    proxy_buffering off;
    proxy_read_timeout 1h;
    proxy_next_upstream error timeout http_502 http_503;
    add_header X-Content-Type-Options \$pf_nosniff always;
    add_header X-Frame-Options \$pf_frame_options always;
    add_header Referrer-Policy \$pf_referrer_policy always;

    # Peers' sign-in checks and Prometheus's scrapes reach the instances directly, never through here. Matched
    # case-insensitively, as the services route (/INTERNAL/... reaches the same endpoint), on the URI nginx has
    # already decoded and whose slashes it merged (/%69nternal and //internal match too).
    location ~* ^/(internal|metrics)(/|\$) { return 404; }
    location /api/partners/ { client_max_body_size 5121m; proxy_pass http://partners; }
    location /api/carriers/ { proxy_pass http://mes; }
    location /mes { proxy_pass http://mes; }
    location /crm { proxy_pass http://crm; }
    location /notifications/ { proxy_pass http://notifications; }
    location /ops { proxy_pass http://ordering; }
    location / { client_max_body_size 257m; proxy_pass http://shop; }
  }
}
NGINX
"$nginx_bin" -t -q -c "$run/nginx.conf" -p "$run/nginx"
"$nginx_bin" -c "$run/nginx.conf" -p "$run/nginx"

# Prometheus can scrape every process: file_sd targets (see deploy/observability/prometheus.yml).
{
  echo "["
  first=1
  while read -r name pid p; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '  {"targets": ["127.0.0.1:%s"], "labels": {"service": "%s", "instance_name": "%s"}}' "$p" "${name%-*}" "$name"
  done < "$run/instances"
  echo; echo "]"
} > "$run/prometheus-targets.json"

echo "== Waiting for every process to be ready"
while read -r name pid p; do
  wait_ready "$name" "$pid" "$p" 180 || exit 1
done < "$run/instances"

if [ "$printers" -gt 0 ]; then
  echo "== Printer simulator: $printers printers, speed-up ${printer_speedup}x"
  dotnet build "$root/src/Tools/PrintFlow.PrinterSimulator/PrintFlow.PrinterSimulator.csproj" -c Release \
    -o "$run/simulator" -nologo -v q -clp:ErrorsOnly >/dev/null
  # Recorded in pids (not instances: it is no PrintFlow service), so down.sh stops it with the rest.
  dotnet "$run/simulator/PrintFlow.PrinterSimulator.dll" --printers "$printers" --speedup "$printer_speedup" \
    --port "$simulator_port" > "$run/logs/printer-simulator.log" 2>&1 &
  simulator_pid=$!
  echo "printer-simulator $simulator_pid $simulator_port" >> "$run/pids"
  for _ in $(seq 1 300); do
    [ "$(grep -c '^printer ' "$run/logs/printer-simulator.log")" -ge "$printers" ] && break
    alive "$simulator_pid" || { echo "The printer simulator stopped:" >&2; cat "$run/logs/printer-simulator.log" >&2; exit 1; }
    sleep 0.2
  done
  grep '^printer ' "$run/logs/printer-simulator.log" | awk '{ printf "  printer %s  %s  API key %s\n", $2, $3, $4 }'
fi

# The load generator's partner (bench/*.sh): its quotes confirm themselves and its rate limit is out of the way. Its
# key is generated once (deploy/local/.run/secrets/load-partner-key) and only its SHA-256 is stored, as Partners
# stores every key; the demo load partner of Development has a published key and works nowhere else.
echo "== Benchmark partner"
load_key_file="$run/secrets/load-partner-key"
[ -s "$load_key_file" ] || (umask 077; echo "pfk_bench_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$load_key_file")
load_key=$(cat "$load_key_file")
load_partner=0193a6f0-0000-7000-8000-0000000be4c1
psql_admin printflow_partners >/dev/null <<SQL
INSERT INTO partners ("Id", "Name", "ContactEmail", "AutoConfirmBelow", "RequestsPerMinute", "CreatedAt")
VALUES ('$load_partner', 'Benchmark Partner', 'api@benchmark.invalid', 1000000, 1000000, now()) ON CONFLICT ("Id") DO NOTHING;
INSERT INTO partner_api_keys ("Id", "PartnerId", "Hash", "Hint", "CreatedAt")
VALUES (gen_random_uuid(), '$load_partner', '$(printf %s "$load_key" | sha256sum | cut -d' ' -f1)', '${load_key:0:8}…', now())
ON CONFLICT ("Hash") DO NOTHING;
SQL
echo "  key in deploy/local/.run/secrets/load-partner-key"

if [ "$observability" -eq 1 ]; then
  echo "== Prometheus and Alertmanager"
  PRINTFLOW_FRESH=$fresh "$here/observability.sh"
fi

cat <<DONE

PrintFlow is up at http://localhost:$port ($environment)
  Shop /  MES /mes  CRM /crm  Operations /ops  Partner API /api/partners/v1
  Processes: $(for s in "${services[@]}"; do printf '%s×%s ' "$s" "${scale[$s]}"; done)
  Logs: deploy/local/.run/logs/   Prometheus targets: deploy/local/.run/prometheus-targets.json
  Secrets (0600): deploy/local/.run/secrets/   /metrics: per instance, with the bearer token in secrets/metrics-token
  Stop: deploy/local/down.sh
DONE
if [ "$printers" -gt 0 ]; then
  echo "  Printers: $printers simulated at http://127.0.0.1:$simulator_port/printers/{1..$printers}/ (list: /control/printers)"
fi
if [ "$observability" -eq 1 ]; then
  echo "  Prometheus http://127.0.0.1:${PRINTFLOW_PROMETHEUS_PORT:-9090}  Alertmanager http://127.0.0.1:${PRINTFLOW_ALERTMANAGER_PORT:-9093}"
fi
