#!/usr/bin/env bash
# Runs every PrintFlow test: unit, messaging, service, end-to-end HTTP and browser (Debian's Chromium).
# Installs what the tests need first. Ends with one line: "N passed, N failed" (", N skipped" when any).
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build PrintFlow.slnx -nologo -v q -clp:ErrorsOnly; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test PrintFlow.slnx --no-build -nologo -v q \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$files" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without reporting a failed test (a crashed test host, say): that is a failure too.
  failed=$((failed + 1))
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
