#!/usr/bin/env bash
# The messaging retention job on PostgreSQL, one command:
#   bench/retention.sh                 # 500,000 dispatched outbox rows and 500,000 inbox rows, 90 % of them past retention
#   bench/retention.sh --rows 100000   # a quick run; --outbox-per-order / --inbox-per-order change the per-order sums
# Starts PostgreSQL (scripts/start-postgres.sh), creates a throw-away database, seeds the rows as the services write
# them (UUIDv7 message ids, the deployment's payload size), runs the job's own PruneAsync (MessageRetention) once for
# the outbox and once for the inbox, checks that exactly the old rows went, and drops the database. Before and after
# the outbox's pruning it also times the outbox relay's round (RelayOnceAsync, a batch of 100 pending rows, median of
# --relay-rounds 20) with that dispatched history behind it: the ratio shows whether a claim depends on the history.
# Last line: retention outbox_rows_per_s=… inbox_rows_per_s=… outbox_pg_us_per_row=… inbox_pg_us_per_row=…
#            client_us_per_row=… ms_per_order=… core_share_at_100_orders_s=… relay_round_ms=… relay_round_ms_pruned=…
#            relay_ratio=… rows=N
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/start-postgres.sh >&2
echo "== building the retention bench (Release)" >&2
dotnet build bench/PrintFlow.Bench.Retention/PrintFlow.Bench.Retention.csproj -c Release -v q -nologo >&2
cd bench/PrintFlow.Bench.Retention/bin/Release/net10.0
exec dotnet PrintFlow.Bench.Retention.dll "$@"
