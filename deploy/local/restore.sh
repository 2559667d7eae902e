#!/usr/bin/env bash
# Restores ONE service's database to a point in time, leaving the other services' databases as they are
# (docs/decisions/0023-backups.md): every service database lives in one PostgreSQL cluster, and a point-in-time
# recovery replays the whole cluster, so the last base backup is recovered into a scratch cluster (its own folder and
# socket, no TCP port) up to the moment asked, and the one database is copied back with pg_dump | pg_restore.
#
#   deploy/local/restore.sh --service ordering [--to '2026-12-06 16:02:03.25+00']
#
#   --service S   ordering, pricing, shop, partners, mes, crm or notifications
#   --to TIME     the moment to restore to (any PostgreSQL timestamptz); by default the end of the archived WAL (the
#                 last moment). When the database was dropped, give a time just before the drop (the end of the WAL
#                 would replay the drop too): restore.sh says so when the database is missing at the target.
#
# The service's instances keep running: while the database is replaced their handlers fail and the broker redelivers
# (docs/operations.md says why nothing is applied twice). Prints the restore's duration on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/.run"
source "$here/lib.sh"

service=""
target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service="$2"; shift 2 ;;
    --to) target="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$service" ] && [ -n "${base[$service]:-}" ] || { echo "--service: one of ${services[*]}" >&2; exit 2; }

backups="$run/backups"
bin=/usr/lib/postgresql/15/bin
database="printflow_$service"
as_postgres() { "${as_root[@]}" runuser -u postgres -- "$@"; }
started=$(date +%s.%N)

latest=$("${as_root[@]}" ls "$backups/base" 2>/dev/null | sort | tail -n 1 || true)
[ -n "$latest" ] || { echo "No base backup in deploy/local/.run/backups: run deploy/local/backup.sh first." >&2; exit 1; }
if [ -n "$target" ]; then
  # The newest base backup taken before the target (a backup's name is its UTC start time).
  target_stamp=$(echo "SELECT to_char(('$(printf %s "$target" | sed "s/'/''/g")')::timestamptz AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"')" | psql_admin postgres)
  latest=$("${as_root[@]}" ls "$backups/base" | sort | awk -v t="$target_stamp" '$0 <= t' | tail -n 1)
  [ -n "$latest" ] || { echo "No base backup was taken before $target." >&2; exit 1; }
fi

# Whatever the live server has written so far reaches the archive: the current segment is closed and received.
lsn=$(echo "SELECT pg_switch_wal()" | psql_admin postgres)
for _ in $(seq 1 120); do
  [ "$(echo "SELECT coalesce(bool_or(restart_lsn >= '$lsn'::pg_lsn), true) FROM pg_replication_slots WHERE slot_name = 'printflow_backup'" | psql_admin postgres)" = t ] && break
  sleep 0.25
done

scratch=$(mktemp -d /tmp/printflow-restore.XXXXXX)
chmod 755 "$scratch"
cleanup() {
  as_postgres "$bin/pg_ctl" -D "$scratch/data" -m immediate stop >/dev/null 2>&1 || true
  "${as_root[@]}" rm -rf "$scratch"
}
trap cleanup EXIT
"${as_root[@]}" install -d -o postgres -g postgres -m 700 "$scratch/data" "$scratch/data/pg_wal" "$scratch/socket"
as_postgres tar -xzf "$backups/base/$latest/base.tar.gz" -C "$scratch/data"
as_postgres tar -xzf "$backups/base/$latest/pg_wal.tar.gz" -C "$scratch/data/pg_wal"
# The segment being received is named .partial in the archive: recovery takes it whole from pg_wal.
for partial in $("${as_root[@]}" find "$backups/wal" -name '*.partial'); do
  as_postgres cp "$partial" "$scratch/data/pg_wal/$(basename "$partial" .partial)"
done
target_setting=""
# Recovery refuses settings lower than the primary's: these are taken from the live server.
live_limits=$(echo "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings WHERE name IN ('max_connections',
  'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')" | psql_admin postgres)
[ -n "$target" ] && target_setting="recovery_target_time = '$(printf %s "$target" | sed "s/'/''/g")'"
# Debian keeps the configuration in /etc, outside the data folder: the scratch cluster gets a minimal one of its own.
as_postgres tee "$scratch/data/postgresql.conf" >/dev/null <<CONF
listen_addresses = ''
unix_socket_directories = '$scratch/socket'
port = 5432
$live_limits
shared_buffers = 64MB
archive_mode = off
restore_command = 'cp $backups/wal/%f %p'
recovery_target_action = promote
$target_setting
CONF
as_postgres tee "$scratch/data/pg_hba.conf" >/dev/null <<<"local all postgres peer"
as_postgres touch "$scratch/data/pg_ident.conf" "$scratch/data/recovery.signal"
as_postgres rm -f "$scratch/data/postmaster.pid" "$scratch/data/standby.signal"

echo "== Recovering base backup $latest to ${target:-the end of the archived WAL} in a scratch cluster"
as_postgres "$bin/pg_ctl" -D "$scratch/data" -l "$scratch/socket/recovery.log" -w -t 600 start >/dev/null ||
  { "${as_root[@]}" tail -n 20 "$scratch/socket/recovery.log" >&2; exit 1; }
scratch_psql() { as_postgres psql -h "$scratch/socket" -qtAX -d postgres -c "$1"; }
for _ in $(seq 1 1200); do
  [ "$(scratch_psql 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.5
done
[ "$(scratch_psql 'SELECT pg_is_in_recovery()')" = f ] || { echo "The scratch cluster did not finish recovery." >&2; exit 1; }
if [ "$(scratch_psql "SELECT count(*) FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  echo "$database does not exist at ${target:-the end of the WAL}: it was dropped before. Give --to a time before the drop." >&2
  exit 1
fi

echo "== Replacing $database with the recovered copy (other databases untouched)"
dump="$scratch/socket/$database.dump"
as_postgres "$bin/pg_dump" -h "$scratch/socket" -d "$database" -Fc -f "$dump"
# Restored under another name first, so the instances never see a half-filled database; then swapped in.
staging="${database}_restoring"
psql_admin postgres >/dev/null <<SQL
DROP DATABASE IF EXISTS $staging WITH (FORCE);
CREATE DATABASE $staging OWNER printflow_$service;
REVOKE ALL ON DATABASE $staging FROM PUBLIC;
SQL
# Tables keep their owner (the service's role) from the dump.
as_postgres "$bin/pg_restore" -d "$staging" --exit-on-error --single-transaction "$dump"
psql_admin postgres >/dev/null <<SQL
DROP DATABASE IF EXISTS $database WITH (FORCE);
ALTER DATABASE $staging RENAME TO $database;
SQL
seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
echo "restored: $database to ${target:-the end of the WAL} from base backup $latest in $(printf '%.1f' "$seconds") s"
