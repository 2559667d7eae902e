#!/usr/bin/env bash
# EF Core's own cost of the look-up Ordering and Partners start nearly every message with: LINQ (found in EF's query
# cache per call by walking and hashing the expression tree) against the same query compiled once, each from a pooled
# DbContext, on SQLite in memory (BenchmarkDotNet in-process; the LINQ variant is the baseline of its category, so the
# Ratio column is compiled / LINQ). Ends with:
#   queries partners_linq_us=… partners_compiled_us=… partners_ratio=… ordering_linq_us=… ordering_compiled_us=… ordering_ratio=…
#
#   bench/queries.sh [BenchmarkDotNet options]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/bench/queries"
dotnet publish "$root/bench/PrintFlow.Bench.Queries/PrintFlow.Bench.Queries.csproj" -c Release -o "$out/bin" -nologo -v q -clp:ErrorsOnly >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
cd "$out"
"$out/bin/printflow-queries-bench" --filter '*OrderLookups*' "$@" | sed -n '/^| Method/,/^$/p' | tee "$out/table.txt"
# The table's Mean column ("61.30 us"; ns or ms at other scales) in microseconds, per method.
awk -F'|' '$2 ~ /(Linq|Compiled)/ {
    name = $2; gsub(/ /, "", name); split($4, m, " "); v = m[1]; gsub(",", "", v); u = m[2]
    mean[name] = u == "ns" ? v / 1000 : u == "ms" ? v * 1000 : v
  }
  END { printf "queries partners_linq_us=%.1f partners_compiled_us=%.1f partners_ratio=%.2f ordering_linq_us=%.1f ordering_compiled_us=%.1f ordering_ratio=%.2f\n",
    mean["PartnersLinq"], mean["PartnersCompiled"], mean["PartnersCompiled"] / mean["PartnersLinq"],
    mean["OrderingLinq"], mean["OrderingCompiled"], mean["OrderingCompiled"] / mean["OrderingLinq"] }' "$out/table.txt"
