#!/usr/bin/env bash
# Where the CPU goes per order when the distributed deployment is saturated: a fresh deployment (deploy/local/up.sh,
# --web instances of Shop and Partners, 1 by default as in bench/pipeline.sh, and 2 Pricing workers), warmed with
# --warm-rate orders/s for --warm-seconds (then its databases analyzed), then --rate orders/s for --seconds through the Partner API
# (auto-confirmed quotes, followed to ManufacturingApproved). Each process's user and system CPU (utime, stime from
# /proc) over that run, summed per service, divided by the orders: PostgreSQL counts its exited backends too (the
# postmaster's cutime/cstime), the load generator does not count. Ends with:
#   cpu_ms_per_order total=T postgres=… rabbitmq=… nginx=… ordering=… pricing=… shop=… partners=… mes=… crm=… throughput=X
#
#   bench/cpu.sh [--rate 100] [--seconds 15] [--warm-rate 10] [--warm-seconds 40] [--web 1] [--port 8081]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
rate=100 seconds=15 warm_rate=10 warm_seconds=40 web=1 port=8081
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2;;
    --seconds) seconds=$2; shift 2;;
    --warm-rate) warm_rate=$2; shift 2;;
    --warm-seconds) warm_seconds=$2; shift 2;;
    --web) web=$2; shift 2;;
    --port) port=$2; shift 2;;
    *) sed -n '2,10p' "$0" >&2; exit 2;;
  esac
done
url="http://127.0.0.1:$port"
pids_file="$root/deploy/local/.run/pids"

fresh_deployment "$port" "$web"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the warm-up"
"$load_bin" --url "$url" --label warmup --rate "$warm_rate" --duration "$warm_seconds" --settle-timeout 600 | grep '^warmup:' | sed 's/^/  /'
analyze_databases

# snapshot: "group user system" lines in clock ticks, one per process.
snapshot() {
  local postmaster pid
  postmaster=$(head -n 1 "$(pg_lsclusters -h | awk '$4 == "online" {print $6; exit}')/postmaster.pid")
  awk '{print "postgres", $16, $17}' "/proc/$postmaster/stat"
  for pid in $(pgrep -x postgres || true); do awk '{print "postgres", $14, $15}' "/proc/$pid/stat" 2>/dev/null || true; done
  for pid in $(pgrep -f 'beam.smp|erl_child_setup|inet_gethost|epmd' || true); do awk '{print "rabbitmq", $14, $15}' "/proc/$pid/stat" 2>/dev/null || true; done
  for pid in $(pgrep -x nginx || true); do awk '{print "nginx", $14, $15}' "/proc/$pid/stat" 2>/dev/null || true; done
  while read -r name pid _; do
    awk -v s="${name%-*}" '{print s, $14, $15}' "/proc/$pid/stat" 2>/dev/null || true
  done < "$pids_file"
}

before=$(snapshot)
"$load_bin" --url "$url" --label run --rate "$rate" --duration "$seconds" --settle-timeout 900 > "$root/artifacts/bench/cpu-run.log" 2>&1 || true
after=$(snapshot)
grep '^run:' "$root/artifacts/bench/cpu-run.log" | sed 's/^/  /'
orders=$(result_field reached "$root/artifacts/bench/cpu-run.log")
throughput=$(result_field throughput "$root/artifacts/bench/cpu-run.log")
[ -n "$orders" ] && [ "$orders" -gt 0 ] || { echo "no order reached its target; see artifacts/bench/cpu-run.log" >&2; exit 1; }

# A process that ended during the run is missing from the second snapshot; its whole group's sum is then too low,
# not too high (PostgreSQL's ended backends are in the postmaster's cutime/cstime).
awk -v orders="$orders" -v tick="$(getconf CLK_TCK)" -v throughput="$throughput" '
  FNR == 1 { file++ }
  { sign = file == 1 ? -1 : 1; user[$1] += sign * $2; sys[$1] += sign * $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
  END {
    per = 1000 / tick / orders
    printf "  %-10s %8s %8s %8s   (ms of CPU per order, %d orders)\n", "", "user", "system", "total", orders
    line = ""; total = 0
    for (i = 1; i <= n; i++) {
      g = order[i]; total += (user[g] + sys[g]) * per
      printf "  %-10s %8.1f %8.1f %8.1f\n", g, user[g] * per, sys[g] * per, (user[g] + sys[g]) * per
      line = line sprintf(" %s=%.1f", g, (user[g] + sys[g]) * per)
    }
    printf "cpu_ms_per_order total=%.1f%s throughput=%s\n", total, line, throughput
  }' <(echo "$before") <(echo "$after")
