# Shared by up.sh, restart.sh and the benchmarks: the services, their ports, and how one instance is started.
# Sourced, not run. Expects $run (deploy/local/.run).

source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lib.sh" # as_root

declare -A scale=([ordering]=1 [pricing]=2 [shop]=2 [partners]=2 [mes]=1 [crm]=1 [notifications]=1)
declare -A base=([ordering]=5100 [pricing]=5200 [shop]=5300 [partners]=5400 [mes]=5500 [crm]=5600 [notifications]=5700)
services=(ordering pricing shop partners mes crm notifications)
PATH="$PATH:/usr/sbin"

# alive PID: the process exists and is not a zombie (a killed orphan may stay unreaped when PID 1 does not reap).
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# port_taken PORT: something accepts connections on 127.0.0.1:PORT (bash's /dev/tcp: nothing to install).
port_taken() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# port_holder PORT: "pid N (command)" of the listening process, when ss can tell (root sees every process).
port_holder() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 | sed 's/users:(("\([^"]*\)",pid=\([0-9]*\)/pid \2 (\1)/'
}

# stop_pids PID...: asks each process to stop (TERM), waits up to 20 s in all, then kills what is left.
stop_pids() {
  local pid deadline=$(( $(date +%s) + 20 ))
  # A paused process (SIGSTOP, as bench/partners.sh and bench/pipeline.sh pause some) would act on TERM only once resumed.
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; kill -CONT "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    while alive "$pid"; do
      if [ "$(date +%s)" -gt "$deadline" ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
      sleep 0.2
    done
  done
}

# secret NAME: the deployment's generated secret NAME (deploy/local/.run/secrets/NAME, mode 0600), created on first use
# and reused by every later up.sh and restart.sh, so the databases' and broker's passwords stay what they were set to.
secret() {
  local file="$run/secrets/$1"
  if [ ! -s "$file" ]; then
    (umask 077; mkdir -p "$run/secrets"; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
  fi
  cat "$file"
}

# key_certificate: the self-signed certificate (deploy/local/.run/secrets/keys.pfx) that encrypts the data-protection
# keys at rest, made once; its password is a generated secret too, passed to openssl on stdin.
key_certificate() {
  local pfx="$run/secrets/keys.pfx"
  [ -s "$pfx" ] && return 0
  local work
  work=$(mktemp -d)
  (
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=PrintFlow data protection" \
      -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null &&
    secret keys-pfx-password | openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -out "$pfx" -passout stdin
  )
  local status=$?
  rm -rf "$work"
  return $status
}

# psql_admin DATABASE: psql as PostgreSQL's superuser over the local socket; the SQL comes on stdin, so no password
# passed to it ever shows in the process list.
psql_admin() { "${as_root[@]}" runuser -u postgres -- env PGOPTIONS="-c client_min_messages=warning" psql -v ON_ERROR_STOP=1 -qtAX -d "$1"; }

# Loopback only, so no TLS (it cost CPU on both ends of every round trip); pooled connections keep their session
# (no DISCARD ALL on every return to the pool) and the statements used most stay prepared on the server (no parse
# and plan per call). The code leaves no session state behind: no temporary tables, settings or held locks.
connection() {
  echo "Host=localhost;Port=5432;Database=printflow_$1;Username=printflow_$1;Password=$(secret "postgres-$1");Maximum Pool Size=40;SSL Mode=Disable;No Reset On Close=true;Max Auto Prepare=64;Auto Prepare Min Usages=2"
}

# amqp_uri SERVICE: the service's own broker user (no administrator tag) on the deployment's virtual host.
amqp_uri() { echo "amqp://printflow_$1:$(secret "rabbitmq-$1")@localhost:5672/printflow"; }

# start_instance SERVICE INDEX: one process, recorded in .run/pids as "name pid port".
start_instance() {
  local s=$1 i=$2 p=$(( ${base[$1]} + $2 )) name="$1-$2"
  local -a extra=()
  if [ "$s" = crm ]; then
    # CRM keeps running totals per customer: one big partner's orders all update one row, so CRM has one worker per
    # queue (which applies what has gathered in one transaction) instead of racing itself (it is a sales view, not on
    # the order's path).
    extra+=("Messaging__RabbitMq__ConsumerConcurrency=1")
  fi
  if [ "$s" = notifications ]; then
    # Links in emails lead customers to nginx's address. Emails go to the pickup folder (.run/data/mail) unless
    # Notifications__Delivery=Smtp and Notifications__Smtp__* are exported before up.sh (docs/notifications.md).
    extra+=("Notifications__PublicBaseUrl=${Notifications__PublicBaseUrl:-http://localhost:${port:-8080}}")
    # The Shop's "Email settings" link lands on Notifications signed in: Shop owns customers' sessions.
    extra+=("PrintFlow__Accounts__Peers__0=http://127.0.0.1:$(( ${base[shop]} + 1 ))")
  fi
  if [ "$s" = shop ] || [ "$s" = ordering ]; then
    # /login is served by Shop; operators and sales managers are MES's and CRM's accounts: Shop asks them. Ordering
    # serves /ops to supervisors and sales managers, and asks the same owners whether their sessions are still active.
    extra+=("PrintFlow__Accounts__Peers__0=http://127.0.0.1:$(( ${base[mes]} + 1 ))"
            "PrintFlow__Accounts__Peers__1=http://127.0.0.1:$(( ${base[crm]} + 1 ))")
  fi
  (
    cd "$run/bin"
    # Secrets are exported, not passed as arguments, so no command line (ps) ever shows them.
    export PrintFlow__Accounts__InternalKey="$(secret internal-key)" Observability__MetricsToken="$(secret metrics-token)"
    export "ConnectionStrings__$s=$(connection "$s")" "ConnectionStrings__live=$(connection "$s")"
    export Messaging__RabbitMq__Uri="$(amqp_uri "$s")"
    # One certificate for every process: the data-protection keys they share are encrypted to it at rest.
    export PrintFlow__DataProtection__CertificatePath="$run/secrets/keys.pfx" PrintFlow__DataProtection__CertificatePassword="$(secret keys-pfx-password)"
    # Many .NET processes share few cores here: workstation GC (not one server-GC heap and thread per core in
    # every process) and no spin-waiting of idle thread-pool workers, which otherwise burns the cores others need.
    # No dynamic PGO unless DOTNET_TieredPGO=1 is exported: its instrumented second compilation of every hot method
    # kept the JIT busy for minutes after a start (the first 300 orders at 10/s: 107 s of CPU with it, 67 s without).
    # Measured again on 2026-12-05: the services' CPU over the 400 warm-up orders 63–64 s with it, 37–38 s without;
    # warmed, bench/cpu.sh 20.2/18.7/19.1 ms per order with it against 20.5/18.7/19.8 without, and bench/pipeline.sh
    # --seconds 10 123.1/124.9 orders/s (p99 1982/1236 ms) against 130.4/113.7 (p99 894/1448): no clear gain.
    # Exact refinement is off here unless asked for (up.sh --exact): it slices every order on these same two cores,
    # and with it on bench/pipeline.sh fell to 76.6 orders/s, p99 24.5 s at 100/s (2026-12-06; docs/performance.md).
    # The embedded demo floor stays off: up.sh --printers N runs one simulator for the whole deployment.
    exec setsid env \
      DOTNET_gcServer=0 \
      DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 \
      DOTNET_TieredPGO="${DOTNET_TieredPGO:-0}" \
      ASPNETCORE_ENVIRONMENT="$environment" \
      Urls="http://127.0.0.1:$p" \
      PrintFlow__Services="$s" \
      PrintFlow__DataDirectory="$run/data" \
      Database__Provider=Postgres \
      Messaging__Transport=RabbitMq \
      Pricing__Exact__Enabled="${Pricing__Exact__Enabled:-false}" \
      FeatureManagement__Plates="${FeatureManagement__Plates:-true}" \
      Demo__SimulatedPrinters=0 \
      "${extra[@]}" \
      ./PrintFlow.Host >>"$run/logs/$name.log" 2>&1
  ) &
  echo "$name $! $p" >> "$run/pids"
}


# wait_ready NAME PID PORT SECONDS: until the instance answers /health/ready; fails early if it exited.
wait_ready() {
  local name=$1 pid=$2 p=$3 deadline=$(( $(date +%s) + $4 ))
  until curl -fsS "http://127.0.0.1:$p/health/ready" >/dev/null 2>&1; do
    if ! alive "$pid"; then
      echo "$name exited during start-up; last lines of deploy/local/.run/logs/$name.log:" >&2
      tail -n 20 "$run/logs/$name.log" >&2
      return 1
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then
      echo "$name is not ready after $4 s; see deploy/local/.run/logs/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "  $name ready on port $p (pid $pid)"
}
