#!/usr/bin/env bash
# Installs (Debian's PostgreSQL 15) and starts the local cluster when it is not running, then makes sure the
# PrintFlow login exists. Safe to run again. Connection: Host=localhost;Username=printflow;Password=printflow
set -euo pipefail

source "$(dirname "$0")/lib.sh"
need_root "install and start PostgreSQL"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt_install postgresql
fi

version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
  version=15; cluster=main
  "${as_root[@]}" pg_createcluster "$version" "$cluster" >/dev/null
fi

if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $4}' | grep -q online; then
  echo "Starting PostgreSQL $version/$cluster..."
  # Enough connections for several service processes with their pools, and a benchmark's load.
  "${as_root[@]}" pg_conftool "$version" "$cluster" set max_connections 400 >/dev/null
  "${as_root[@]}" pg_ctlcluster "$version" "$cluster" start
fi

psql_as_postgres() { "${as_root[@]}" runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAX "$@"; }
for _ in $(seq 1 60); do psql_as_postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$(psql_as_postgres -c "select 1 from pg_roles where rolname='printflow'")" != "1" ]; then
  psql_as_postgres -c "create role printflow login createdb password 'printflow'"
fi
# Tests drop their throw-away databases WITH (FORCE), which must also end an autovacuum worker that happens to be in
# one: allowed to members of pg_signal_backend.
psql_as_postgres -c "grant pg_signal_backend to printflow" >/dev/null 2>&1
echo "PostgreSQL is running: Host=localhost;Username=printflow;Password=printflow"
