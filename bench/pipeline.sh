#!/usr/bin/env bash
# End-to-end benchmark of the distributed deployment (deploy/local/up.sh: every service its own process, PostgreSQL,
# RabbitMQ, nginx), driven through the Partner API by the load generator with auto-confirmed quotes:
#   1. latency submit → ManufacturingApproved at a steady --latency-rate (default 100 orders/s)
#   2. sustained throughput at an offered --peak-rate (default 350 orders/s)
#   3. pricing throughput on heavy, distinct models with 1 and then 2 Pricing workers, each analysing one model at a
#      time (requests queued first)
# Ends with: throughput=X orders/s p50=A ms p95=B ms p99=C ms lost=0 duplicated=0
# The deployment runs --web instances of Shop and Partners (default 1: on 2 cores a second instance of each costs more
# than it brings, see README "Scaling") and 2 Pricing workers; every other service once.
#
#   bench/pipeline.sh [--latency-rate 100] [--peak-rate 350] [--seconds 30] [--heavy-orders 48] [--heavy-triangles 400000]
#                     [--web 1] [--port 8081]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
latency_rate=100; peak_rate=350; seconds=30; heavy_orders=48; heavy_triangles=400000; web=1; port=8081
while [ $# -gt 0 ]; do
  case "$1" in
    --latency-rate) latency_rate="$2"; shift 2 ;;
    --peak-rate) peak_rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --heavy-orders) heavy_orders="$2"; shift 2 ;;
    --heavy-triangles) heavy_triangles="$2"; shift 2 ;;
    --web) web="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done
out="$root/artifacts/bench/pipeline"
mkdir -p "$out"
url="http://127.0.0.1:$port"

fresh_deployment "$port" "$web"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; $web web instance(s) each of Shop and Partners, 2 Pricing workers"

run_load() { # label, then printflow-load options
  local label=$1; shift
  "$load_bin" --url "$url" --label "$label" --out "$out/$label.tsv" "$@" > "$out/$label.log" 2>&1 || true
  grep -E "^$label:" "$out/$label.log" | sed 's/^/  /'
}

# The same warm-up as bench/cpu.sh: 100 orders left much of the code to be recompiled (tiered JIT) during the latency
# run. Then fresh planner statistics (analyze_databases in bench/lib.sh says why).
echo "== Warm-up (JIT, pools, caches, planner statistics)"
run_load warmup --rate 10 --duration 40 --settle-timeout 600
analyze_databases

echo "== 1. Latency at $latency_rate orders/s for $seconds s"
run_load latency --rate "$latency_rate" --duration "$seconds" --settle-timeout 900

echo "== 2. Sustained throughput, offered $peak_rate orders/s for $seconds s"
run_load peak --rate "$peak_rate" --duration "$seconds" --settle-timeout 900

echo "== 3. Pricing on $heavy_orders distinct ${heavy_triangles}-triangle models: 1 worker, then 2"
# Uploading a large model through the Partner API takes longer than pricing it, so a run that submits and prices at
# once measures the uploads. Each phase therefore starts its workers, warms them on a few models of their own (a
# freshly started process spends its first seconds compiling: measured right after a start, the first-to-last window
# of about a second mostly timed that), pauses them (SIGSTOP) while its orders are submitted (they wait in
# PriceCalculating, their price requests in the queue), then resumes them; the rate is the orders priced over the
# time from the first quote to the last, as Pricing wrote them (its outbox rows' times: Ordering's transitions would
# do as well only if Ordering took each quote as it came, but it applies quotes that have gathered in one batch).
# A worker analyses one model at a time here (Messaging:RabbitMq:ConsumerConcurrency=1 for the Pricing instances of
# this phase): with the default 4 at a time one instance already keeps both of this machine's cores busy, so a second
# could only show what two processes cost, not what a second worker adds (0.74–1.48× over five runs measured so).
pricing_pids() { local pid; for pid in $(awk '$1 ~ /^pricing-/ {print $2}' "$root/deploy/local/.run/pids"); do alive "$pid" && echo "$pid"; done; }
# The peak left the consumers off the order's path (the channels' and CRM's status views) a backlog that they work
# off for a while after every order reached ManufacturingApproved; pricing measured meanwhile would share the cores
# with it.
started=$(date +%s)
wait_for_empty_queues 900
echo "  every queue empty $(( $(date +%s) - started )) s after the peak's last order reached its target"
pricing_phase() { # label, first model variant (each phase its own files: Pricing caches analyses by SHA-256), instances
  local label=$1 variant=$2; shift 2
  stop_pids $(pricing_pids)
  env Messaging__RabbitMq__ConsumerConcurrency=1 "$root/deploy/local/restart.sh" "$@" >/dev/null
  run_load "$label-warmup" --rate 50 --orders $(( 4 * $# )) --triangles "$heavy_triangles" --unique-models \
    --first-variant $(( variant + 500 )) --settle-timeout 600 >&2
  kill -STOP $(pricing_pids)
  run_load "$label" --rate 50 --orders "$heavy_orders" --triangles "$heavy_triangles" --unique-models --first-variant "$variant" \
    --target PriceCalculating --settle-timeout 600 >&2
  local ids quoted="" deadline=$(( $(date +%s) + 600 ))
  ids=$(awk '$2 != "" {print $2}' "$out/$label.tsv" | paste -sd, -)
  kill -CONT $(pricing_pids)
  while :; do
    quoted=$(psql_db pricing "select count(distinct \"CorrelationId\") || ' ' || coalesce(extract(epoch from max(\"CreatedAt\") - min(\"CreatedAt\")), 0)
      from outbox_messages where \"Name\" = 'pricing.price-calculated' and \"CorrelationId\" = any('{$ids}'::uuid[])")
    [ "${quoted%% *}" -ge "$heavy_orders" ] && break
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "  $label: only ${quoted%% *} of $heavy_orders quoted after 600 s" >&2; break; fi
    sleep 0.5
  done
  awk -v n="${quoted%% *}" -v span="${quoted#* }" 'BEGIN { printf "%.1f", (span > 0 ? (n - 1) / span : 0) }'
}
one=$(pricing_phase pricing-1-worker 1 pricing-1)
two=$(pricing_phase pricing-2-workers 1001 pricing-1 pricing-2)
echo "  pricing throughput (first to last quote, the price requests already queued): 1 worker ${one} models/s, 2 workers ${two} models/s, ratio $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')"

lost=0; repeated=0
for label in warmup latency peak pricing-1-worker-warmup pricing-1-worker pricing-2-workers-warmup pricing-2-workers; do
  lost=$(( lost + $(result_field lost "$out/$label.log") ))
  repeated=$(( repeated + $(result_field repeated_states "$out/$label.log") ))
done
duplicated=$(( $(count_duplicates) + repeated ))
echo "(per-order results: artifacts/bench/pipeline/*.tsv; service logs: deploy/local/.run/logs/)"
echo "throughput=$(result_field throughput "$out/peak.log") orders/s p50=$(result_field p50 "$out/latency.log") ms p95=$(result_field p95 "$out/latency.log") ms p99=$(result_field p99 "$out/latency.log") ms lost=$lost duplicated=$duplicated"
