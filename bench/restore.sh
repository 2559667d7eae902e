#!/usr/bin/env bash
# Restore drill: a fresh distributed deployment with continuous archiving (deploy/local/backup.sh), a base backup, then
# a steady stream of partner orders; meanwhile one service's database is destroyed (DROP DATABASE ... WITH (FORCE)),
# restored to the moment just before (deploy/local/restore.sh --to), and the services carry on. Passes when every
# order still reaches ManufacturingApproved exactly once. Ends with:
#   backup=<size> restore=<seconds>s orders=N lost=0 duplicated=0
#
#   bench/restore.sh [--service ordering] [--rate 3] [--duration 60] [--port 8085]
# It starts the machine's one deployment: run it under the lock, flock /tmp/printflow-deploy.lock bench/restore.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
service=ordering; rate=3; duration=60; port=8085
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "usage: bench/restore.sh [--service S] [--rate N] [--duration S] [--port P]" >&2; exit 2 ;;
  esac
done
[ -n "${base[$service]:-}" ] || { echo "--service: one of ${services[*]}" >&2; exit 2; }
out="$root/artifacts/bench/restore"
mkdir -p "$out"

fresh_deployment "$port" 1
# Archiving stops with the deployment (down.sh); the slot is dropped too, so the server keeps no WAL for it. The load
# generator is stopped first: killed with the script, it would keep the deployment lock it inherited.
trap 'stop_load; "$root/deploy/local/backup.sh" --stop >/dev/null 2>&1 || true; "$root/deploy/local/down.sh" >/dev/null 2>&1 || true' EXIT

echo "== Base backup and continuous archiving"
"$root/deploy/local/backup.sh" --full | tee "$out/backup.log"
backup_size=$(sed -n 's/^full: base backup [^,]*, \([^ ]*\) .*/\1/p' "$out/backup.log")

echo "== Load: $rate orders/s for $duration s; $service's database destroyed and restored meanwhile"
"$load_bin" --url "http://127.0.0.1:$port" --rate "$rate" --duration "$duration" --settle-timeout 300 \
  --label restore --out "$out/orders.tsv" > "$out/load.log" 2>&1 &
load=$!

sleep $(( duration / 3 ))
# The last moment before the accident: restore.sh recovers up to it (the WAL after it holds the DROP).
target=$(echo "SELECT now()" | psql_admin postgres)
echo "printflow_$service dropped at $target" > "$out/drop.log"
echo "DROP DATABASE printflow_$service WITH (FORCE)" | psql_admin postgres
echo "  $(date +%T) printflow_$service dropped (last moment kept: $target)"
"$root/deploy/local/restore.sh" --service "$service" --to "$target" | tee "$out/restore-run.log"
restore_seconds=$(sed -n 's/^restored: .* in \([0-9.]*\) s$/\1/p' "$out/restore-run.log")
echo "  $(date +%T) printflow_$service restored in ${restore_seconds} s"
# Instances that gave up while their database was gone are started again (restart.sh skips the running ones).
dead=()
while read -r name pid _; do
  [[ "$name" == "$service"-* ]] && ! alive "$pid" && dead+=("$name")
done < "$root/deploy/local/.run/pids"
[ ${#dead[@]} -eq 0 ] || { echo "  restarting ${dead[*]}"; "$root/deploy/local/restart.sh" "${dead[@]}" >/dev/null; }

status=0
wait "$load" || status=$?
grep -v "orders settled" "$out/load.log" | tail -n 5
orders=$(result_field orders "$out/load.log")
lost=$(result_field lost "$out/load.log")
repeated=$(result_field repeated_states "$out/load.log")
duplicated=$(( $(count_duplicates) + ${repeated:-0} ))
echo "backup=${backup_size:-unknown} restore=${restore_seconds:-unknown}s orders=${orders:-0} lost=${lost:-unknown} duplicated=$duplicated"
if [ "$status" = 0 ] && [ "${lost:-1}" = 0 ] && [ "$duplicated" = 0 ]; then
  echo "restore: PASS (printflow_$service restored to the moment before its drop; every order reached ManufacturingApproved once)"
else
  echo "restore: FAIL (load exit $status, lost=${lost:-unknown}, duplicated=$duplicated; logs in artifacts/bench/restore)"
  exit 1
fi
