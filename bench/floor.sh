#!/usr/bin/env bash
# The least CPU an order can cost on this machine in PrintFlow's design (a service per process and database, RabbitMQ
# between them, an inbox row per delivery and an outbox row per publish), whatever the services' own code does:
#  - PostgreSQL: pgbench runs bench/floor/order.sql, one order's inbox, order and outbox rows at the least the design
#    allows (43 statements, no history or read models), first as 14 transactions (one per delivery, as a consumer
#    applies a lone message), then as one transaction per order (the most a consumer batch could ever save); the
#    server's CPU per order comes from /proc.
#  - RabbitMQ: bench/broker.sh's cost per quorum message, times the 12 deliveries an order needs even with status
#    events routed by channel; and its .NET client's own CPU (publish and consume, no work per message), times the 8
#    messages an order publishes.
# The ceiling adds the batched database figure, the broker and the client: what 2 cores could do if the services'
# code cost nothing. PostgreSQL's CPU is the whole server's: run it with nothing else using PostgreSQL (no deployment,
# no tests). Installs and starts PostgreSQL and RabbitMQ when none runs. Ends with:
#   floor pg_batched_ms=A pg_per_delivery_ms=B broker_ms=C client_ms=D ceiling_orders_per_s=E goal=300 budget_ms=F ratio=(A+C+D)/F
#
#   bench/floor.sh [--seconds 30] [--clients 16]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=30 clients=16
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2;;
    --clients) clients=$2; shift 2;;
    *) echo "usage: bench/floor.sh [--seconds 30] [--clients 16]" >&2; exit 2;;
  esac
done
goal=300 deliveries=12 publishes=8 cores=$(nproc)

"$root/scripts/start-postgres.sh" >/dev/null
pgbench=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbench" ] || { echo "pgbench not found (it comes with Debian's postgresql package)" >&2; exit 1; }
export PGHOST=localhost PGUSER=printflow PGPASSWORD=printflow PGOPTIONS="-c client_min_messages=warning"
db=printflow_floor
work=$(mktemp -d)
trap 'psql -qtAX -d postgres -c "drop database if exists '$db' with (force)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# The same statements as one transaction: order.sql without its BEGIN/COMMIT lines, wrapped in one.
{ sed -n '/^\\set/p' "$root/bench/floor/order.sql"; echo 'BEGIN;'
  grep -v -e '^\\set' -e '^BEGIN;' -e '^COMMIT;' "$root/bench/floor/order.sql"; echo 'COMMIT;'; } > "$work/batched.sql"

# CPU ticks of PostgreSQL: every live server process's utime + stime, plus the postmaster's cutime + cstime, which
# hold what its exited children (pgbench's backends, once it disconnects) used.
pg_cpu() {
  local postmaster
  postmaster=$(head -n 1 "$(pg_lsclusters -h | awk '$4 == "online" {print $6; exit}')/postmaster.pid")
  { awk '{print $16 + $17}' "/proc/$postmaster/stat"
    for pid in $(pgrep -x postgres || true); do awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true; done
  } | awk '{ total += $1 } END { print total }'
}

# pg_run SCRIPT LABEL: PostgreSQL's CPU milliseconds per order (one script run) on a fresh database.
pg_run() {
  psql -qtAX -d postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
  psql -qtAX -v ON_ERROR_STOP=1 -d "$db" -f "$root/bench/floor/schema.sql" >/dev/null
  local before after out orders ms
  before=$(pg_cpu)
  out=$("$pgbench" -n -c "$clients" -j 2 -T "$seconds" -f "$1" "$db" 2>&1) || { echo "$out" >&2; exit 1; }
  after=$(pg_cpu)
  orders=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
  [ -n "$orders" ] && [ "$orders" -gt 0 ] || { echo "$out" >&2; exit 1; }
  ms=$(awk -v c=$(( after - before )) -v t="$(getconf CLK_TCK)" -v n="$orders" 'BEGIN { printf "%.2f", c * 1000 / t / n }')
  echo "  $2: $orders orders in $seconds s ($(( orders / seconds ))/s, pgbench on the same cores), PostgreSQL CPU $ms ms per order" >&2
  echo "$ms"
}

echo "machine: $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "PostgreSQL ($clients pgbench clients, ${seconds} s each):"
per_delivery=$(pg_run "$root/bench/floor/order.sql" "a transaction per delivery")
batched=$(pg_run "$work/batched.sql" "one transaction per order")

echo "RabbitMQ (bench/broker.sh):"
broker_out=$("$root/bench/broker.sh")
echo "$broker_out"
line=$(echo "$broker_out" | grep '^broker_us_per_message')
broker_us=$(echo "$line" | sed -n 's/.*quorum=\([0-9.]*\).*/\1/p')
client_us=$(echo "$line" | sed -n 's/.*client_us_per_message=\([0-9.]*\).*/\1/p')
[ -n "$broker_us" ] && [ -n "$client_us" ] || { echo "bench/broker.sh gave no figures" >&2; exit 1; }

awk -v b="$batched" -v p="$per_delivery" -v us="$broker_us" -v cu="$client_us" -v d="$deliveries" -v m="$publishes" \
    -v cores="$cores" -v goal="$goal" 'BEGIN {
  broker = us * d / 1000; client = cu * m / 1000; budget = cores * 1000 / goal; floor = b + broker + client
  printf "floor pg_batched_ms=%.2f pg_per_delivery_ms=%.2f broker_ms=%.2f client_ms=%.2f ceiling_orders_per_s=%.0f goal=%d budget_ms=%.2f ratio=%.2f\n",
    b, p, broker, client, cores * 1000 / floor, goal, budget, floor / budget }'
