#!/usr/bin/env bash
# MES benchmark, one command:
#   bench/mes.sh                 # 1,000,000 jobs
#   bench/mes.sh --jobs 100000   # a quick run; also --requests N (per row, default 1000) and --live N (default 200)
# Starts PostgreSQL (scripts/start-postgres.sh), creates throw-away databases, starts the real host on them (the MES
# schema and indexes come from the service's own initializer), seeds the jobs with INSERT ... SELECT generate_series,
# ANALYZEs, then measures through HTTP with the server's own Server-Timing: (a) the first page of the queue,
# (b) filtered pages, (c) confirmation -> dashboard latency over an event-stream client. Drops the databases at the end.
# Last line: first_page_p99_ms=X filtered_p99_ms=Y live_p99_ms=Z jobs=N
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/start-postgres.sh >&2
echo "== building the MES bench harness (Release)" >&2
dotnet build bench/PrintFlow.Bench.Mes/PrintFlow.Bench.Mes.csproj -c Release -v q -nologo >&2
cd bench/PrintFlow.Bench.Mes/bin/Release/net10.0
exec dotnet PrintFlow.Bench.Mes.dll "$@"
