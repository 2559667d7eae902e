#!/usr/bin/env bash
# How many SQL statements an order costs PostgreSQL, per service, on the distributed deployment (1 web instance each
# of Shop and Partners, 2 Pricing workers): warmed as bench/cpu.sh warms it (then its databases analyzed), then
# --rate orders/s for --seconds through the Partner API (auto-confirmed, followed to ManufacturingApproved), counted
# by pg_stat_statements until every queue is empty again (the orders' last status events included). Each statement
# of a batch counts on its own, BEGIN and COMMIT included. The count does not depend on the machine's speed as CPU
# figures do, only on how the run's messages happened to gather into batches and relay rounds.
# The extension must be preloaded (shared_preload_libraries), which takes a restart of PostgreSQL: the script sets it,
# restarts PostgreSQL, and on exit, however it exits, restores the setting it found and restarts PostgreSQL again.
# The five statements most called in each service are written to artifacts/bench/statements.txt. Ends with:
#   statements_per_order total=… ordering=… partners=… crm=… mes=… pricing=… shop=… orders=N
#
#   bench/statements.sh [--rate 100] [--seconds 15] [--port 8081]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
source "$root/scripts/lib.sh"
rate=100 seconds=15 port=8081
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2;;
    --seconds) seconds=$2; shift 2;;
    --port) port=$2; shift 2;;
    *) sed -n '2,13p' "$0" >&2; exit 2;;
  esac
done
url="http://127.0.0.1:$port"
out="$root/artifacts/bench/statements.txt"
mkdir -p "$(dirname "$out")"
need_root "preload pg_stat_statements and restart PostgreSQL"

"$root/scripts/start-postgres.sh" >/dev/null
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
as_postgres() { "${as_root[@]}" runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAX "$@"; }
restart_postgres() {
  "${as_root[@]}" pg_ctlcluster "$version" "$cluster" restart
  for _ in $(seq 1 60); do as_postgres -c 'select 1' >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "PostgreSQL did not come back after its restart" >&2
  return 1
}

found=$(as_postgres -c "show shared_preload_libraries")
# A load generator still running is stopped too: killed with the script, it would keep the deployment lock it inherited.
restore() {
  stop_load
  "$root/deploy/local/down.sh" >/dev/null 2>&1 || true
  if [ -n "${changed:-}" ]; then
    if [ -n "$found" ]; then as_postgres -c "alter system set shared_preload_libraries = '$found'"; else as_postgres -c "alter system reset shared_preload_libraries"; fi
    restart_postgres >/dev/null
  fi
}
trap restore EXIT
trap 'exit 143' TERM INT HUP
if [[ ",${found// /}," != *",pg_stat_statements,"* ]]; then
  changed=1
  as_postgres -c "alter system set shared_preload_libraries = '${found:+$found,}pg_stat_statements'"
  restart_postgres
fi

fresh_deployment "$port" 1
trap restore EXIT # fresh_deployment set its own (stopping the deployment): restore does that too
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the warm-up"
"$load_bin" --url "$url" --label warmup --rate 10 --duration 40 --settle-timeout 600 | grep '^warmup:' | sed 's/^/  /'
analyze_databases
wait_for_empty_queues 300

databases=()
for s in "${services[@]}"; do
  databases+=("printflow_$s")
  as_postgres -d "printflow_$s" -c "create extension if not exists pg_stat_statements" >/dev/null
done
as_postgres -d printflow_ordering -c "select pg_stat_statements_reset()" >/dev/null

"$load_bin" --url "$url" --label run --rate "$rate" --duration "$seconds" --settle-timeout 900 > "$root/artifacts/bench/statements-run.log" 2>&1 || true
grep '^run:' "$root/artifacts/bench/statements-run.log" | sed 's/^/  /'
wait_for_empty_queues 300
orders=$(sed -n 's/^run: .* \([0-9][0-9]*\) reached the target.*/\1/p' "$root/artifacts/bench/statements-run.log")
if [ -z "$orders" ] || [ "$orders" -eq 0 ]; then
  echo "no order reached its target; see artifacts/bench/statements-run.log" >&2
  exit 1
fi

in_list=$(printf "'%s'," "${databases[@]}"); in_list=${in_list%,}
counts=$(as_postgres -d printflow_ordering -F ' ' -c "
  select replace(d.datname, 'printflow_', ''), sum(s.calls)
  from pg_stat_statements s join pg_database d on d.oid = s.dbid
  where d.datname in ($in_list) group by d.datname")
{
  echo "pg_stat_statements over $orders orders at $rate orders/s ($(date -u +%FT%TZ)): the five statements most called in each service"
  as_postgres -d printflow_ordering -F $'\t' -c "
    select service, calls, query from (
      select replace(d.datname, 'printflow_', '') service, s.calls, left(regexp_replace(s.query, '\s+', ' ', 'g'), 160) query,
             row_number() over (partition by d.datname order by s.calls desc) n
      from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname in ($in_list)) t
    where n <= 5 order by service, calls desc"
} > "$out"

awk -v orders="$orders" '
  { per[$1] = $2 / orders; total += $2 }
  END {
    line = sprintf("statements_per_order total=%.1f", total / orders)
    split("ordering partners crm mes pricing shop", order, " ")
    for (i = 1; i <= 6; i++) line = line sprintf(" %s=%.1f", order[i], per[order[i]] + 0)
    print line " orders=" orders
  }' <<<"$counts"
