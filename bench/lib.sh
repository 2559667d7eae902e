# Shared by the distributed benchmarks (faults.sh, pipeline.sh): a fresh deployment, the load generator and the
# duplicate checks. Sourced, not run. Expects $root.

source "$root/deploy/local/lib.sh"

load_bin="$root/artifacts/bench/load/printflow-load"

# build_load: the load generator, published ReadyToRun (precompiled, as the services are: see its project file).
build_load() {
  dotnet publish "$root/bench/PrintFlow.Load/PrintFlow.Load.csproj" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$root/artifacts/bench/load" -nologo -v q -clp:ErrorsOnly >/dev/null
}

# fresh_deployment PORT [WEB]: the load generator built, and the deployment (WEB web instances, 2 by default, and 2
# Pricing workers) started on empty databases and queues; it is stopped again when the benchmark exits, however it exits.
fresh_deployment() {
  trap '"$root/deploy/local/down.sh" >/dev/null 2>&1 || true' EXIT
  "$root/deploy/local/down.sh" >/dev/null 2>&1 || true
  build_load
  "$root/deploy/local/up.sh" --fresh --port "$1" --web "${2:-2}" --pricing 2
  # The benchmark partner up.sh created (Production has no demo keys): the load generator reads its key from here.
  PRINTFLOW_LOAD_KEY=$(cat "$root/deploy/local/.run/secrets/load-partner-key")
  export PRINTFLOW_LOAD_KEY
}

# queued: messages ready or unacknowledged in every queue of the deployment but the dead-letter ones.
queued() { rabbitmqctl -q list_queues -p printflow name messages 2>/dev/null | awk '$2 ~ /^[0-9]+$/ && $1 !~ /dlq$/ {s += $2} END {print s + 0}'; }

# wait_for_empty_queues SECONDS: until two checks a second apart find every queue empty (one empty check may fall
# between a relay's batches); fails after SECONDS.
wait_for_empty_queues() {
  local empty=0 deadline=$(( $(date +%s) + $1 ))
  until [ "$empty" -ge 2 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "the queues did not empty within $1 s" >&2; return 1; }
    if [ "$(queued)" = 0 ]; then empty=$(( empty + 1 )); else empty=0; fi
    sleep 1
  done
}

psql_db() { PGPASSWORD=printflow psql -h localhost -U printflow -d "printflow_$1" -qtAX -c "$2"; }

# duplicates: orders that got two manufacturing jobs, two quotes applied, or the same transition twice (one event
# applied twice). Read from the services' own databases after the run, by the benchmark only.
count_duplicates() {
  local jobs quotes transitions
  jobs=$(psql_db mes 'select count(*) from (select "OrderId" from mes_jobs group by "OrderId" having count(*) > 1) d')
  quotes=$(psql_db ordering "select count(*) from (select \"OrderId\" from order_transitions where \"To\" = 'Quoted' group by \"OrderId\" having count(*) > 1) d")
  transitions=$(psql_db ordering 'select count(*) from (select "OrderId" from order_transitions group by "OrderId", "From", "To" having count(*) > 1) d')
  echo "  duplicate checks: orders with two jobs=$jobs, two quotes applied=$quotes, a transition applied twice=$transitions" >&2
  echo $(( jobs + quotes + transitions ))
}

# analyze_databases: fresh planner statistics in every service's database. A deployment started on empty databases
# grows its tables from nothing within seconds, and until autovacuum (which visits each database about once a minute)
# analyzes them, PostgreSQL keeps the plans it chose while they were nearly empty: sequential scans, which then read
# the whole table on every look-up by key (one 1,500-order run before this: 10.9 million rows read by CRM's order
# look-ups, 2.1 million by MES's). A system that has run for a while has statistics; the benchmarks measure that
# state, so they analyze once after the warm-up.
analyze_databases() {
  local s
  # (The shared catalogs are the superuser's to analyze: not warned about.)
  for s in ordering pricing shop partners mes crm; do psql_db "$s" 'SET client_min_messages = error; ANALYZE' >/dev/null; done
}

result_field() { sed -n "s/.*RESULT .*\\b$1=\\([^ ]*\\).*/\\1/p" "$2" | tail -n 1; }
