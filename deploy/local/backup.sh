#!/usr/bin/env bash
# Backups of every service database of the local deployment, with PostgreSQL's own tools (docs/decisions/0023-backups.md):
# continuous archiving of the cluster's WAL by pg_receivewal (a replication slot keeps every segment until it is
# received, so a stopped receiver leaves no gap), plus base backups by pg_basebackup.
#
#   deploy/local/backup.sh [--full]       a base backup (compressed tar, with the WAL it needs) and archiving started
#   deploy/local/backup.sh --incremental  the WAL written since the last base backup closed and archived (PostgreSQL 15
#                                         has no block-level incremental backup: a point in time is the last base
#                                         backup plus this WAL)
#   deploy/local/backup.sh --status       backups, WAL archived, and whether the receiver runs
#   deploy/local/backup.sh --stop         stops archiving and drops the slot (else the server keeps WAL for it)
#
# Everything lives under deploy/local/.run/backups (owned by postgres, mode 0700): base/<UTC time>/{base,pg_wal}.tar.gz
# and wal/ (an earlier chain broken by --stop is set aside in previous-<time>/). The receiver is recorded in .run/pids, so down.sh stops it; the next backup.sh resumes from the slot.
# deploy/local/restore.sh restores one service's database to a point in time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/.run"
source "$here/lib.sh"

backups="$run/backups"
slot=printflow_backup
bin=/usr/lib/postgresql/15/bin
mode=full
case "${1:-}" in
  ""|--full) mode=full ;;
  --incremental) mode=incremental ;;
  --status) mode=status ;;
  --stop) mode=stop ;;
  -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
  *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
esac

as_postgres() { "${as_root[@]}" runuser -u postgres -- "$@"; }
sql() { echo "$1" | psql_admin postgres; }
receiver_pid() { [ -f "$run/pids" ] && awk '$1 == "wal-receiver" {print $2}' "$run/pids" | tail -n 1; }
receiving() { local pid; pid=$(receiver_pid); [ -n "$pid" ] && alive "$pid"; }
human() { numfmt --to=iec --suffix=B "$1"; }
wal_bytes() { "${as_root[@]}" du -sb "$backups/wal" | cut -f1; }

if [ "$mode" = stop ]; then
  pid=$(receiver_pid || true)
  if [ -n "$pid" ] && alive "$pid"; then stop_pids "$pid"; fi
  [ -f "$run/pids" ] && { grep -v '^wal-receiver ' "$run/pids" > "$run/pids.tmp" || true; mv "$run/pids.tmp" "$run/pids"; }
  sql "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null
  echo "Archiving stopped; slot $slot dropped (the backups stay in deploy/local/.run/backups)."
  exit 0
fi

if [ "$mode" = status ]; then
  for b in $( [ -d "$backups/base" ] && "${as_root[@]}" ls "$backups/base"); do
    echo "base backup $b  $(human "$("${as_root[@]}" du -sb "$backups/base/$b" | cut -f1)")"
  done
  [ -d "$backups/wal" ] && echo "WAL archived: $(human "$(wal_bytes)")"
  if receiving; then echo "archiving: running (pid $(receiver_pid))"; else echo "archiving: stopped"; fi
  exit 0
fi

"${as_root[@]}" install -d -o postgres -g postgres -m 700 "$backups" "$backups/base" "$backups/wal"
if ! receiving; then
  # The slot makes the server keep every WAL segment the receiver has not confirmed, across its restarts. A new slot
  # means a gap since the last archived segment: the earlier chain (base backups and WAL) is set aside whole.
  if [ "$(sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot'")" = 0 ]; then
    if [ -n "$("${as_root[@]}" ls -A "$backups/wal")" ]; then
      aside="$backups/previous-$(date -u +%Y%m%dT%H%M%SZ)"
      "${as_root[@]}" install -d -o postgres -g postgres -m 700 "$aside"
      "${as_root[@]}" mv "$backups/base" "$backups/wal" "$aside/"
      "${as_root[@]}" install -d -o postgres -g postgres -m 700 "$backups/base" "$backups/wal"
      echo "archiving: a new chain starts (the previous one, with a gap after it, is in ${aside#"$run/"})"
    fi
    sql "SELECT pg_create_physical_replication_slot('$slot', true)" >/dev/null
  fi
  (
    exec setsid "${as_root[@]}" runuser -u postgres -- "$bin/pg_receivewal" -D "$backups/wal" -S "$slot" \
      --synchronous --no-loop -d "dbname=replication" >>"$run/logs/wal-receiver.log" 2>&1
  ) &
  mkdir -p "$run"; touch "$run/pids"
  echo "wal-receiver $! 0" >> "$run/pids"
  for _ in $(seq 1 40); do
    [ "$(sql "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'")" = t ] && break
    sleep 0.25
  done
  [ "$(sql "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'")" = t ] ||
    { echo "pg_receivewal did not start; see deploy/local/.run/logs/wal-receiver.log" >&2; exit 1; }
  echo "archiving: pg_receivewal streams the WAL into deploy/local/.run/backups/wal (slot $slot)"
fi

if [ "$mode" = incremental ]; then
  before=$(wal_bytes)
  # Closes the current segment so everything written so far is in a whole file of the archive.
  lsn=$(sql "SELECT pg_switch_wal()")
  for _ in $(seq 1 120); do
    [ "$(sql "SELECT confirmed_flush_lsn >= '$lsn'::pg_lsn OR restart_lsn >= '$lsn'::pg_lsn FROM pg_replication_slots WHERE slot_name = '$slot'")" = t ] && break
    sleep 0.25
  done
  echo "incremental: WAL up to $lsn archived; WAL archive $(human "$(wal_bytes)") (was $(human "$before"))"
  exit 0
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
started=$(date +%s.%N)
# -X stream: the WAL written during the copy goes into the backup, so each base backup restores on its own too.
as_postgres "$bin/pg_basebackup" -D "$backups/base/$stamp" -Ft -z -X stream -c fast -l "printflow $stamp" -d "dbname=postgres"
seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
size=$("${as_root[@]}" du -sb "$backups/base/$stamp" | cut -f1)
echo "full: base backup $stamp, $(human "$size") ($size bytes) in $(printf '%.1f' "$seconds") s; WAL archive $(human "$(wal_bytes)")"
