#!/usr/bin/env bash
# Estimator calibration against PrusaSlicer, one command:
#   bench/calibrate.sh [MODEL.stl ...]        (default: every tests/Fixtures/Models/*.stl)
# For each model: slices it with prusa-slicer and the repository's profile (the exact arguments ExactSlicer uses),
# runs the CLI's instant estimate on the same file, and prints one Markdown row of the table in
# docs/pricing-calibration.md (slicer vs estimate, material and print time, relative errors), then the mean and
# largest absolute errors. Needs prusa-slicer (Debian) and python3; takes ~10 s per model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROFILE=src/Services/Pricing/PrintFlow.Pricing.Core/Slicer/mk3s-020.ini
TMP="$(mktemp -d "${TMPDIR:-/tmp}/printflow-calibrate.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
if (($# == 0)); then set -- tests/Fixtures/Models/*.stl; fi

dotnet build src/Tools/PrintFlow.Cli/PrintFlow.Cli.csproj -c Release -v q -nologo >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log" >&2; exit 1; }
CLI=(dotnet src/Tools/PrintFlow.Cli/bin/Release/net10.0/printflow.dll)

for model in "$@"; do
  name=$(basename "$model" .stl)
  prusa-slicer --export-gcode --loglevel 1 --datadir "$TMP/datadir" --load "$PROFILE" --output "$TMP/$name.gcode" "$model" >"$TMP/$name.log" 2>&1 \
    || { echo "slicing $model failed: $(tail -3 "$TMP/$name.log")" >&2; exit 1; }
  "${CLI[@]}" quote "$model" --json >"$TMP/$name.json"
  grep -E '^; (filament used \[g\]|estimated printing time \(normal mode\))' "$TMP/$name.gcode" >"$TMP/$name.slicer"
done

python3 - "$TMP" "$@" <<'PY'
import json, re, sys, os
tmp, models = sys.argv[1], sys.argv[2:]
def seconds(text):
    return sum(int(v) * {'d': 86400, 'h': 3600, 'm': 60, 's': 1}[u] for v, u in re.findall(r'(\d+)([dhms])', text))
def hms(s):
    s = round(s); return f"{s // 3600}h {s % 3600 // 60:02d}m {s % 60:02d}s"
print("| part | volume mm³ | side / flat mm² | support mm³ | slicer g | estimate g | error | slicer time | estimate time | error |")
print("|---|---|---|---|---|---|---|---|---|---|")
errors = []
for model in models:
    name = os.path.basename(model)[:-4]
    lines = open(f"{tmp}/{name}.slicer").read()
    grams = float(re.search(r'filament used \[g\] = ([\d.]+)', lines).group(1))
    time = seconds(re.search(r'normal mode\) = (.*)', lines).group(1))
    d = json.load(open(f"{tmp}/{name}.json"))
    eg, et = d['material_g'], d['print_time_h'] * 3600
    errors.append((eg / grams - 1, et / time - 1))
    print(f"| {name} | {d['volume_mm3']:.0f} | {d['side_area_mm2']:.0f} / {d['flat_area_mm2']:.0f} | {d['support_volume_mm3']:.0f} | "
          f"{grams:.2f} | {eg:.2f} | {100 * errors[-1][0]:+.1f} % | {hms(time)} | {hms(et)} | {100 * errors[-1][1]:+.1f} % |")
n = len(errors)
print(f"\nmean |error|: material {100 * sum(abs(g) for g, _ in errors) / n:.1f} %, time {100 * sum(abs(t) for _, t in errors) / n:.1f} %; "
      f"largest: material {100 * max(abs(g) for g, _ in errors):.1f} %, time {100 * max(abs(t) for _, t in errors):.1f} %")
PY
