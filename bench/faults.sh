#!/usr/bin/env bash
# Fault test: while a steady stream of partner orders (auto-confirmed, with shipping addresses) and some shop orders
# flows through the distributed deployment, kill -9 one instance of every service (restarting it), take the SMTP server
# and the partner's webhook receiver down for a while, and restart RabbitMQ once; then check that every order reached
# ManufacturingApproved exactly once, and that every email and webhook the orders caused arrived (an email once per
# event; a webhook again only under the same event id, every signature valid). Ends with
#   orders=N lost=0 duplicated=0
#   emails=N missing=0 duplicated=0 webhooks=N missing=0
# (exit 1 otherwise). Before the load, deploy/local/check.sh checks the fresh deployment's security settings.
#
#   bench/faults.sh [--rate 10] [--duration 60] [--port 8081]      (CI: --rate 4 --duration 30)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
rate=10; duration=60; port=8081
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "usage: bench/faults.sh [--rate N] [--duration S] [--port P]" >&2; exit 2 ;;
  esac
done
out="$root/artifacts/bench/faults"
mkdir -p "$out"
smtp_port=$(( port + 17444 )); hook_port=$(( port + 10 ))
sink_out="$out/received.tsv"; sink_secret="$out/webhook-secret"; sink_log="$out/sink.log"
rm -f "$sink_out" "$sink_secret" "$sink_log"
shop_orders=$(( rate * duration / 9 )); [ "$shop_orders" -lt 3 ] && shop_orders=3

sink_settings "$smtp_port" "$hook_port"
fresh_deployment "$port"
trap 'stop_sink; stop_load; "$root/deploy/local/down.sh" >/dev/null 2>&1 || true' EXIT
start_sink "$smtp_port" "$hook_port"
echo "== Security settings of the deployment (deploy/local/check.sh)"
if ! "$root/deploy/local/check.sh" --port "$port" > "$out/check.log" 2>&1; then
  cat "$out/check.log"
  echo "faults: deployment checks failed (log: artifacts/bench/faults/check.log)"
  exit 1
fi
echo "faults: deployment $(tail -n 1 "$out/check.log")"

echo "== Load: $rate orders/s for $duration s and $shop_orders shop orders, with faults injected meanwhile"
"$load_bin" --url "http://127.0.0.1:$port" --rate "$rate" --duration "$duration" --settle-timeout 240 \
  --shop-orders "$shop_orders" --shop-out "$out/shop.tsv" \
  --webhook-url "http://127.0.0.1:$hook_port/hooks/printflow" --webhook-secret-file "$sink_secret" \
  --label faults --out "$out/orders.tsv" > "$out/load.log" 2>&1 &
load=$!

# One fault every duration/8 seconds: each service's first instance killed with SIGKILL, then started again; then
# the broker restarted (quorum queues and persistent messages survive; the outboxes hold what could not be sent).
gap=$(( duration / 8 )); [ "$gap" -lt 2 ] && gap=2
sleep "$gap"
# The sink (SMTP server and webhook receiver) is down across three of those restarts, Notifications' among them.
for victim in partners-1 ordering-1 sink-down pricing-1 mes-1 shop-1 crm-1 notifications-1 sink-up; do
  case "$victim" in
    sink-down) stop_sink; echo "  $(date +%T) SMTP server and webhook receiver down"; continue ;;
    sink-up) start_sink "$smtp_port" "$hook_port"; echo "  $(date +%T) SMTP server and webhook receiver up"; continue ;;
  esac
  pid=$(awk -v n="$victim" '$1==n {print $2}' "$root/deploy/local/.run/pids")
  echo "  $(date +%T) kill -9 $victim (pid $pid)"
  kill -KILL "$pid"
  while alive "$pid"; do sleep 0.1; done
  "$root/deploy/local/restart.sh" "$victim" >/dev/null
  echo "  $(date +%T) $victim restarted"
  sleep "$gap"
done
echo "  $(date +%T) restarting RabbitMQ"
rabbitmqctl -q stop >/dev/null 2>&1 || /usr/sbin/rabbitmqctl -q stop
"$root/scripts/start-rabbitmq.sh" >/dev/null
echo "  $(date +%T) RabbitMQ is back"

status=0
wait "$load" || status=$?
cat "$out/load.log" | grep -v "orders settled"
orders=$(result_field orders "$out/load.log")
lost=$(result_field lost "$out/load.log")
repeated=$(result_field repeated_states "$out/load.log")
duplicated=$(( $(count_duplicates) + ${repeated:-0} ))
echo "orders=${orders:-0} lost=${lost:-unknown} duplicated=$duplicated"

# Emails and webhooks retried with back-off while the sink was down: give them until a deadline to arrive.
deadline=$(( $(date +%s) + 120 ))
until "$load_bin" verify --orders "$out/orders.tsv" --shop "$out/shop.tsv" --received "$sink_out" > "$out/verify.log" 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || break
  sleep 2
done
cat "$out/verify.log"
"$load_bin" verify --orders "$out/orders.tsv" --shop "$out/shop.tsv" --received "$sink_out" >/dev/null 2>&1 || status=1
[ "${lost:-1}" = 0 ] && [ "$duplicated" = 0 ] && [ "$status" = 0 ]
