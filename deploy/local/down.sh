#!/usr/bin/env bash
# Stops what deploy/local/up.sh started: nginx, every PrintFlow process, and Prometheus and Alertmanager (--observability). PostgreSQL and RabbitMQ keep running
# (other work may use them); --servers stops them too. Data stays in PostgreSQL and deploy/local/.run/data.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/.run"
source "$here/lib.sh"

if [ -f "$run/nginx/nginx.pid" ]; then
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$nginx_bin" -c "$run/nginx.conf" -p "$run/nginx" -s quit 2>/dev/null || kill "$(cat "$run/nginx/nginx.pid")" 2>/dev/null
fi

if [ -f "$run/pids" ]; then
  pids=()
  while read -r name pid port; do
    if alive "$pid"; then echo "stopping $name (pid $pid)"; pids+=("$pid"); fi
  done < "$run/pids"
  stop_pids "${pids[@]}"
  rm -f "$run/pids"
fi

if [ "${1:-}" = "--servers" ]; then
  rabbitmqctl -q stop 2>/dev/null || /usr/sbin/rabbitmqctl -q stop 2>/dev/null || true
  pg_ctlcluster 15 main stop 2>/dev/null || true
fi
echo "PrintFlow is down."
