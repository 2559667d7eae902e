#!/usr/bin/env bash
# Pricing-path benchmark, one command, no arguments:
#   bench/pricing.sh
# Builds in Release, writes closed binary STL tori (10k, 100k, 1M triangles) to a temp dir and measures
#   (a) in-process full analysis (read + weld + every check) with bench/PrintFlow.Bench: warm-up, then the median
#       of several iterations with default options (one thread), reported as ns per triangle; the two-thread
#       median and the first (JIT-including) call are shown for comparison;
#   (b) the CLI as a whole process, as a user runs it (default options: two threads on a multi-core machine); the
#       bench publishes it once as a native (ahead-of-time compiled) executable
#       (dotnet publish src/Tools/PrintFlow.Cli -c Release -r linux-x64 -o artifacts/cli; the ILCompiler package
#       restores from the NuGet mirror, the native link needs clang, installed with apt-get if missing) and times
#       artifacts/cli/printflow quote FILE --json;
#   (c) admesh (default checks: edges, normals, volume, parts) on the same file; installed with apt-get if missing.
# Process timings are the median of RUNS runs (default 5). The last line is machine-readable:
#   ns_per_triangle=X cli_ms=Y admesh_ms=Z ratio=R      (ratio = admesh_ms / cli_ms)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-5}"
ITERATIONS="${ITERATIONS:-15}"
SIZES=(10000 100000 1000000)
TMP="$(mktemp -d "${TMPDIR:-/tmp}/printflow-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

say() { printf '%s\n' "$*" >&2; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Wall-clock milliseconds of one run of a command (output discarded); empty when the command fails.
time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || return 1
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", (e - s) / 1e6 }'
}

# Median wall-clock ms over RUNS runs after one warm-up run, or NA if the command fails.
process_median() {
  "$@" >/dev/null 2>&1 || { echo NA; return; }
  local i samples=""
  for ((i = 0; i < RUNS; i++)); do
    local t
    t=$(time_ms "$@") || { echo NA; return; }
    samples+="$t"$'\n'
  done
  printf '%s' "$samples" | median
}

say "== load at the start: $(uptime)"
say "== building bench harness (Release)"
if ! dotnet build bench/PrintFlow.Bench/PrintFlow.Bench.csproj -c Release -v q -nologo >"$TMP/build.log" 2>&1; then
  cat "$TMP/build.log" >&2
  say "bench harness failed to build"
  echo "ns_per_triangle=NA cli_ms=NA admesh_ms=NA ratio=NA"
  exit 1
fi
BENCH=(dotnet bench/PrintFlow.Bench/bin/Release/net10.0/PrintFlow.Bench.dll)

say "== generating closed binary STL tori in $TMP"
"${BENCH[@]}" generate "$TMP" "${SIZES[@]}" >&2

CLI_DIR="artifacts/cli"
CLI_EXE="$CLI_DIR/printflow"
source scripts/lib.sh
if ! command -v clang >/dev/null 2>&1; then
  ( apt_install clang ) >&2 || say "   could not install clang; the native CLI cannot be linked"
fi
say "== publishing the CLI (Release, linux-x64, native AOT) into $CLI_DIR"
if ! dotnet publish src/Tools/PrintFlow.Cli/PrintFlow.Cli.csproj -c Release -r linux-x64 \
    -o "$CLI_DIR" -v q -nologo >"$TMP/cli-build.log" 2>&1; then
  cat "$TMP/cli-build.log" >&2
  say "   CLI publish failed; CLI timings will be NA"
fi
CLI_OK=0
if [[ -x "$CLI_EXE" ]]; then
  if "$CLI_EXE" quote "$TMP/torus-10000.stl" --json >"$TMP/cli-probe.json" 2>"$TMP/cli-probe.err"; then
    CLI_OK=1
  else
    say "NOTE: $CLI_EXE exists but 'quote FILE --json' failed: $(head -c 300 "$TMP/cli-probe.err")"
  fi
else
  say "NOTE: $CLI_EXE is missing: CLI timings are NA."
fi

if ! command -v admesh >/dev/null 2>&1; then
  ( apt_install admesh ) >&2 || say "NOTE: admesh could not be installed; admesh timings are NA."
fi

declare -A INPROC NS READ TWO FIRST CLI ADMESH
for n in "${SIZES[@]}"; do
  file="$TMP/torus-$n.stl"
  say "== $n triangles"
  line=$("${BENCH[@]}" analyze "$file" "$ITERATIONS")
  say "   in-process: $line"
  INPROC[$n]=$(sed -n 's/.* median_ms=\([^ ]*\).*/\1/p' <<<"$line")
  NS[$n]=$(sed -n 's/.* ns_per_triangle=\([^ ]*\).*/\1/p' <<<"$line")
  READ[$n]=$(sed -n 's/.* read_ms=\([^ ]*\).*/\1/p' <<<"$line")
  TWO[$n]=$(sed -n 's/.* two_threads_ms=\([^ ]*\).*/\1/p' <<<"$line")
  FIRST[$n]=$(sed -n 's/.* first_call_ms=\([^ ]*\).*/\1/p' <<<"$line")
  if ((CLI_OK)); then CLI[$n]=$(process_median "$CLI_EXE" quote "$file" --json); else CLI[$n]=NA; fi
  if command -v admesh >/dev/null 2>&1; then ADMESH[$n]=$(process_median admesh "$file"); else ADMESH[$n]=NA; fi
done

printf '\n%-10s %14s %9s %13s %14s %12s %9s %10s\n' "triangles" "in-process ms" "read ms" "2-thread ms" "first call ms" "ns/triangle" "cli ms" "admesh ms"
for n in "${SIZES[@]}"; do
  printf '%-10s %14s %9s %13s %14s %12s %9s %10s\n' "$n" "${INPROC[$n]}" "${READ[$n]}" "${TWO[$n]}" "${FIRST[$n]}" "${NS[$n]}" "${CLI[$n]}" "${ADMESH[$n]}"
done
printf '(in-process: median of %s iterations after warm-up; processes: median of %s runs; %s cores, load %s)\n\n' \
  "$ITERATIONS" "$RUNS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
say "load at the end: $(uptime)"

big=1000000
ratio=NA
if [[ "${CLI[$big]}" != NA && "${ADMESH[$big]}" != NA ]]; then
  ratio=$(awk -v a="${ADMESH[$big]}" -v c="${CLI[$big]}" 'BEGIN { printf "%.2f\n", a / c }')
fi
# The goal is stated in milliseconds for the whole 1M-triangle analysis; both thread counts are shown against it.
echo "analysis_1m_ms one_thread=${INPROC[$big]} two_threads=${TWO[$big]} (goal <= 50)"
echo "ns_per_triangle=${NS[$big]} cli_ms=${CLI[$big]} admesh_ms=${ADMESH[$big]} ratio=$ratio"
