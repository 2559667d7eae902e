#!/usr/bin/env bash
# Starts instances of a running deployment again (after a crash, or kill -9 in bench/faults.sh), with the same
# settings up.sh gave it:   deploy/local/restart.sh pricing-2   (several at once: restart.sh pricing-1 pricing-2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/.run"
source "$here/lib.sh"
[ -f "$run/config" ] || { echo "Nothing is deployed (no deploy/local/.run/config); run deploy/local/up.sh." >&2; exit 1; }
source "$run/config"

[ $# -gt 0 ] || { echo "usage: restart.sh SERVICE-N [SERVICE-N ...]" >&2; exit 2; }
# Every named instance is started before any is waited for, so several come up together.
started=()
for name in "$@"; do
  s=${name%-*}; i=${name##*-}
  [ -n "${base[$s]:-}" ] && [[ "$i" =~ ^[0-9]+$ ]] || { echo "Unknown instance '$name' (e.g. pricing-2)" >&2; exit 2; }
  if line=$(grep "^$name " "$run/pids"); then
    old=$(echo "$line" | awk '{print $2}')
    if alive "$old"; then echo "$name is running (pid $old)"; continue; fi
  fi
  grep -v "^$name " "$run/pids" > "$run/pids.tmp" || true
  mv "$run/pids.tmp" "$run/pids"
  start_instance "$s" "$i"
  started+=("$name")
done
for name in "${started[@]}"; do
  read -r _ pid p < <(grep "^$name " "$run/pids")
  wait_ready "$name" "$pid" "$p" 120
done
