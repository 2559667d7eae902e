#!/usr/bin/env bash
# Partners' CPU per order, split into the order request and the status events that follow it: a fresh deployment
# (deploy/local/up.sh, --web instances of Shop and Partners, 1 by default), warmed at 10 orders/s for 40 s (then its
# databases analyzed); then Ordering is frozen (kill -STOP) while --orders orders are submitted at 100/s, so Partners
# does only the requests (API key, upload, idempotency record, outbox row and its relay); then Ordering resumes and
# Partners does only the status events, until every queue is empty. Partners' user and system CPU from /proc over
# each phase, divided by the orders. Ends with:
#   partners_ms_per_order requests=R events=E orders=N
#
#   bench/partners.sh [--orders 1500] [--web 1] [--port 8081]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
orders=1500 web=1 port=8081
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders=$2; shift 2;;
    --web) web=$2; shift 2;;
    --port) port=$2; shift 2;;
    *) sed -n '2,10p' "$0" >&2; exit 2;;
  esac
done
url="http://127.0.0.1:$port"
pids_file="$root/deploy/local/.run/pids"

fresh_deployment "$port" "$web"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the warm-up"
"$load_bin" --url "$url" --label warmup --rate 10 --duration 40 --settle-timeout 600 | grep '^warmup:' | sed 's/^/  /'
analyze_databases

ordering=$(awk '$1 ~ /^ordering-/ {print $2}' "$pids_file")
partners=$(awk '$1 ~ /^partners-/ {print $2}' "$pids_file")
ticks() { local t=0 pid; for pid in $partners; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done; echo "$t"; }

resume() { kill -CONT $ordering 2>/dev/null || true; }
trap 'resume; stop_load; "$root/deploy/local/down.sh" >/dev/null 2>&1 || true' EXIT
kill -STOP $ordering
start=$(ticks)
"$load_bin" --url "$url" --label requests --rate 100 --duration "$(( orders / 100 ))" --settle-timeout 3 > "$root/artifacts/bench/partners-requests.log" 2>&1 || true
requested=$(ticks)
accepted=$(result_field accepted "$root/artifacts/bench/partners-requests.log")
[ -n "$accepted" ] && [ "$accepted" -gt 0 ] || { echo "no order was accepted; see artifacts/bench/partners-requests.log" >&2; exit 1; }
resume

wait_for_empty_queues 600
done_ticks=$(ticks)

awk -v a="$start" -v b="$requested" -v c="$done_ticks" -v n="$accepted" -v tick="$(getconf CLK_TCK)" 'BEGIN {
  printf "partners_ms_per_order requests=%.2f events=%.2f orders=%d\n", (b - a) * 1000 / tick / n, (c - b) * 1000 / tick / n, n }'
