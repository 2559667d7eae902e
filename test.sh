#!/usr/bin/env bash
# Runs every PrintFlow test: unit, messaging, service, end-to-end HTTP and browser (Debian's Chromium), then the
# fault test of the distributed deployment (bench/faults.sh at a small size).
# Installs what the tests need first and starts PostgreSQL and RabbitMQ when they are not running. Ends with one line: "N passed, N failed" (", N skipped" when any).
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
# Infrastructure tests (messaging, migrations, concurrency) run against the real servers, not fakes.
scripts/start-postgres.sh || { echo "0 passed, 1 failed"; exit 1; }
scripts/start-rabbitmq.sh || { echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build PrintFlow.slnx -nologo -v q -clp:ErrorsOnly; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test PrintFlow.slnx --no-build -nologo -v q \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}

# Every test project prints one summary: "Passed!  - Failed: 0, Passed: 65, Skipped: 0, Total: 65, …".
passed=0; failed=0; skipped=0; projects=0
while read -r f p s; do
  projects=$((projects + 1)); failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\), Total.*/\1 \2 \3/p' "$results/console.log")

if [ "$projects" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without reporting a failed test (a build error, a crashed test host): a failure too.
  echo "dotnet test exited with $status after $projects project summaries."
  failed=$((failed + 1))
fi

# The distributed system under faults, at a small size: every service its own process on PostgreSQL and RabbitMQ,
# each killed once and the broker restarted while orders flow; passes when no order is lost or duplicated. It runs
# alone, after the other tests, so its processes do not compete with them. PRINTFLOW_SKIP_FAULTS=1 skips it.
if [ "${PRINTFLOW_SKIP_FAULTS:-0}" = 1 ]; then
  skipped=$((skipped + 1))
elif bench/faults.sh --rate 3 --duration 30 2>&1 | tee "$results/faults.log" | grep -E "^(orders=|  [0-9:]+ |faults:)"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  passed=$((passed + 1))
else
  echo "FAILED: bench/faults.sh (log: $results/faults.log)"
  failed=$((failed + 1))
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
