#!/usr/bin/env bash
# Runs PrintFlow distributed on this machine: PostgreSQL (one database per service), RabbitMQ, every service as its
# own process (several of some) and nginx in front with the same URL layout as the embedded host.
#
#   deploy/local/up.sh [--port 8080] [--web N] [--pricing N] [--scale service=N ...] [--production]
#
#   --web N          instances of each order channel (Shop, Partners); default 2
#   --pricing N      Pricing workers (competing consumers of price requests); default 2
#   --scale s=N      instances of any service (ordering, pricing, shop, partners, mes, crm); default 1
#   --port P         nginx port; default 8080 (the embedded host's port: stop it first)
#   --production     run in Production (no demo accounts); default Development
#   --fresh          start from empty databases and broker queues (the benchmarks use it)
#
# Everything it starts is recorded under deploy/local/.run; deploy/local/down.sh stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$here/.run"

port=8080
environment=Development
fresh=0
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
    --production) environment=Production; shift ;;
    --fresh) fresh=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for s in "${services[@]}"; do
  [[ "${scale[$s]}" =~ ^[1-9][0-9]?$ ]] || { echo "--scale $s=${scale[$s]}: give 1 to 99 instances" >&2; exit 2; }
done

if [ -f "$run/pids" ] && [ -s "$run/pids" ]; then
  echo "PrintFlow is already up (deploy/local/.run/pids exists). Run deploy/local/down.sh first." >&2
  exit 1
fi
# One deployment per machine: the ports, the databases and the broker's virtual host are fixed. Another one (from
# another checkout) or the embedded host holding a port is refused here, before anything is touched: a --fresh start
# would otherwise drop the running deployment's databases and queues.
taken=()
for p in "$port" $(for s in "${services[@]}"; do seq $(( ${base[$s]} + 1 )) $(( ${base[$s]} + ${scale[$s]} )); done); do
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
"$root/scripts/start-postgres.sh"
"$root/scripts/start-rabbitmq.sh"
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

echo "== Databases (one per service) and the broker's virtual host"
export PGPASSWORD=printflow
if [ "$fresh" -eq 1 ]; then
  for s in "${services[@]}"; do
    psql -h localhost -U printflow -d postgres -qtAX -c "drop database if exists printflow_$s with (force)" >/dev/null
  done
  # The deployment's queues live in their own virtual host: dropping it empties every queue at once.
  "${as_root[@]}" rabbitmqctl -q delete_vhost printflow >/dev/null 2>&1 || true
  rm -rf "$run/data"
  mkdir -p "$run/data"
  echo "  fresh: databases dropped, queues deleted, model store emptied"
fi
if ! "${as_root[@]}" rabbitmqctl -q list_vhosts | grep -qx printflow; then
  "${as_root[@]}" rabbitmqctl -q add_vhost printflow >/dev/null
  "${as_root[@]}" rabbitmqctl -q set_permissions -p printflow printflow '.*' '.*' '.*' >/dev/null
fi
for s in "${services[@]}"; do
  if [ "$(psql -h localhost -U printflow -d postgres -qtAX -c "select 1 from pg_database where datname='printflow_$s'")" != "1" ]; then
    psql -h localhost -U printflow -d postgres -qtAX -c "create database printflow_$s" >/dev/null
    echo "  created printflow_$s"
  fi
done

echo "== Build (Release, ReadyToRun, published once into deploy/local/.run/bin)"
# ReadyToRun: every assembly (EF Core and Npgsql included) ships precompiled, so the many processes do not each
# JIT the same code on the two shared cores; measured, the JIT was half of the services' CPU in their first minute.
dotnet publish "$root/src/Hosts/PrintFlow.Host/PrintFlow.Host.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$run/bin" -nologo -v q -clp:ErrorsOnly >/dev/null

key_file="$run/internal-key"
[ -s "$key_file" ] || head -c 32 /dev/urandom | base64 | tr -d '/+=' > "$key_file"
internal_key=$(cat "$key_file")
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
  client_max_body_size 300m;
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

    location /internal/ { return 404; }
    location /api/partners/ { proxy_pass http://partners; }
    location /mes { proxy_pass http://mes; }
    location /crm { proxy_pass http://crm; }
    location /ops { proxy_pass http://ordering; }
    location / { proxy_pass http://shop; }
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

cat <<DONE

PrintFlow is up at http://localhost:$port ($environment)
  Shop /  MES /mes  CRM /crm  Operations /ops  Partner API /api/partners/v1
  Processes: $(for s in "${services[@]}"; do printf '%s×%s ' "$s" "${scale[$s]}"; done)
  Logs: deploy/local/.run/logs/   Prometheus targets: deploy/local/.run/prometheus-targets.json
  Stop: deploy/local/down.sh
DONE
