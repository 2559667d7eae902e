# Shared by the distributed benchmarks (faults.sh, pipeline.sh): a fresh deployment, the load generator and the
# duplicate checks. Sourced, not run. Expects $root.

source "$root/deploy/local/lib.sh"

load_bin="$root/artifacts/bench/load/printflow-load"

# stop_load: every load generator this checkout started (by its path), so none outlives the benchmark.
stop_load() { pkill -f -- "^$load_bin " >/dev/null 2>&1 || true; }

# build_load: the load generator, published ReadyToRun (precompiled, as the services are: see its project file).
build_load() {
  dotnet publish "$root/bench/PrintFlow.Load/PrintFlow.Load.csproj" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$root/artifacts/bench/load" -nologo -v q -clp:ErrorsOnly >/dev/null
}

# fresh_deployment PORT [WEB]: the load generator built, and the deployment (WEB web instances, 2 by default, and 2
# Pricing workers) started on empty databases and queues; it is stopped again when the benchmark exits, however it exits.
# A load generator still running is stopped too: killed with the script, it would keep the deployment lock it inherited.
fresh_deployment() {
  trap 'stop_load; "$root/deploy/local/down.sh" >/dev/null 2>&1 || true' EXIT
  trap 'exit 143' TERM INT HUP
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

# The last mile's outside world for the fault test: an SMTP server and a partner's webhook receiver in one process
# (printflow-load sink), recording every email and webhook it acknowledges to $sink_out. start_sink SMTP HTTP starts it
# (again, appending), stop_sink kills it without warning, as a crashed server would go.
sink_pid=""
start_sink() {
  "$load_bin" sink --smtp-port "$1" --http-port "$2" --out "$sink_out" --secret-file "$sink_secret" >> "$sink_log" 2>&1 &
  sink_pid=$!
  local deadline=$(( $(date +%s) + 30 ))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    alive "$sink_pid" && [ "$(date +%s)" -lt "$deadline" ] || { echo "the sink did not start; log: $sink_log" >&2; return 1; }
    sleep 0.2
  done
}
stop_sink() {
  [ -n "$sink_pid" ] || return 0
  kill -KILL "$sink_pid" 2>/dev/null || true
  while alive "$sink_pid"; do sleep 0.1; done
  sink_pid=""
}

# sink_settings SMTP HTTP: exported before up.sh, so every instance (and every restart) mails the sink, retries soon,
# and may deliver webhooks to it over loopback (the allow-list; Production refuses loopback otherwise).
sink_settings() {
  export Notifications__Delivery=Smtp Notifications__Smtp__Host=127.0.0.1 Notifications__Smtp__Port="$1" \
    Notifications__Smtp__Security=None Notifications__Smtp__Timeout=00:00:05 Notifications__SendLease=00:00:15 \
    Notifications__RetryBaseDelay=00:00:01 Notifications__RetryMaxDelay=00:00:04 Notifications__MaxAttempts=200 \
    Partners__Webhooks__AllowedHosts__0=127.0.0.1 Partners__Webhooks__RetryBaseDelay=00:00:01 \
    Partners__Webhooks__MaxRetryDelay=00:00:04 Partners__Webhooks__ConnectTimeout=00:00:02 Partners__Webhooks__Timeout=00:00:05
  # The load's shop customer orders through the upload form from an account it just created, unverified.
  export FeatureManagement__ShopInstantQuote=false Shop__AccountEmails__RequireVerifiedEmail=false
}
