#!/usr/bin/env bash
# The alert end-to-end test: deploy/local/up.sh --observability (every service its own process, Prometheus,
# Alertmanager), orders at 1/s, Pricing stopped (all instances); PrintFlowOrdersStuck must reach the on-call's webhook
# and mailbox (a real HTTP listener and SMTP server in the test), then, once Pricing is restarted, its resolution too,
# and every order must still arrive (lost=0). The test's configuration shortens the timing (deadline 20 s, `for:` 10 s,
# 2 s scrapes); the committed rules are untouched. About 4-6 minutes. Ends with "alerts: PASS" or "alerts: FAIL".
# It starts the machine's one deployment (fixed ports): run it under the lock other deployments take, e.g.
#   flock /tmp/printflow-deploy.lock deploy/observability/alert-e2e.sh
# The test is AlertEndToEndTests (tests/Observability), skipped unless PRINTFLOW_ALERT_E2E=1, which this sets.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mkdir -p artifacts/bench/alerts
rm -f artifacts/bench/alerts/steps.log
project=tests/Observability/PrintFlow.Observability.Tests/PrintFlow.Observability.Tests.csproj
if ! dotnet build "$project" -nologo -v q -clp:ErrorsOnly > artifacts/bench/alerts/build.log 2>&1; then
  cat artifacts/bench/alerts/build.log
  echo "alerts: FAIL (build; log: artifacts/bench/alerts/build.log)"
  exit 1
fi
PRINTFLOW_ALERT_E2E=1 dotnet test "$project" --no-build -nologo -v q --filter "FullyQualifiedName~AlertEndToEndTests" \
  > artifacts/bench/alerts/test.log 2>&1
status=$?
grep -h "^alerts: " artifacts/bench/alerts/steps.log 2>/dev/null
if [ $status -eq 0 ] && grep -q "Passed: *1," artifacts/bench/alerts/test.log; then
  echo "alerts: PASS (PrintFlowOrdersStuck reached the webhook and the mailbox, and resolved)"
else
  tail -n 30 artifacts/bench/alerts/test.log
  echo "alerts: FAIL (logs: artifacts/bench/alerts/)"
  exit 1
fi
