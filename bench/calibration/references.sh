#!/usr/bin/env bash
# Renders and slices every corpus part once: CACHE/stl/KEY.stl and CACHE/ref/KEY.ref ("seconds grams"), keyed by
# the part's OpenSCAD text, the OpenSCAD and PrusaSlicer versions and the profile, so reruns only do what changed.
# Usage: references.sh CACHE_DIR PROFILE SCAD...   (prints "name stl ref" per part; RENDER_ONLY=1 only renders)
set -euo pipefail
CACHE=$1 PROFILE=$2; shift 2
mkdir -p "$CACHE/stl" "$CACHE/ref" "$CACHE/work"
OPENSCAD_V=$(openscad --version 2>&1 | tail -1)
# Read the whole help first: grep -m1 on the pipe would make the slicer die of SIGPIPE and the key flip to "unknown".
SLICER_HELP=$(prusa-slicer --help 2>/dev/null || true)
SLICER_V=$(grep -m1 -o 'PrusaSlicer-[0-9.a-z+-]*' <<<"$SLICER_HELP" || echo unknown)
PROFILE_H=$(sha256sum "$PROFILE" | cut -c1-16)
for scad in "$@"; do
  name=$(basename "$scad" .scad)
  src_h=$(sha256sum "$scad" | cut -c1-16)
  stl_key=$(printf '%s|%s' "$src_h" "$OPENSCAD_V" | sha256sum | cut -c1-24)
  ref_key=$(printf '%s|%s|%s' "$stl_key" "$SLICER_V" "$PROFILE_H" | sha256sum | cut -c1-24)
  stl="$CACHE/stl/$stl_key.stl" ref="$CACHE/ref/$ref_key.ref"
  if [[ ! -s $stl ]]; then
    nice -n 19 openscad --export-format binstl -o "$CACHE/work/$name.$$.stl" "$scad" >"$CACHE/work/$name.openscad.log" 2>&1 \
      || { echo "openscad failed on $name: $(tail -2 "$CACHE/work/$name.openscad.log")" >&2; continue; }
    mv "$CACHE/work/$name.$$.stl" "$stl"
  fi
  [[ ${RENDER_ONLY:-} ]] && continue # a second loop renders ahead while the first one slices
  if [[ ! -s $ref ]]; then
    # Exactly ExactSlicer.Arguments: --export-gcode --loglevel 1 --datadir DIR --load PROFILE --output GCODE MODEL
    gcode="$CACHE/work/$name.gcode"
    if nice -n 19 prusa-slicer --export-gcode --loglevel 1 --datadir "$CACHE/work/datadir" --load "$PROFILE" --output "$gcode" "$stl" \
        >"$CACHE/work/$name.slicer.log" 2>&1; then
      python3 - "$gcode" >"$ref.tmp" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()[-200000:]
g = float(re.search(r'; filament used \[g\] = ([\d.]+)', text).group(1))
t = sum(int(v) * {'d': 86400, 'h': 3600, 'm': 60, 's': 1}[u] for v, u in re.findall(r'(\d+)([dhms])', re.search(r'estimated printing time \(normal mode\) = (.*)', text).group(1)))
print(t, g)
PY
      mv "$ref.tmp" "$ref"
    else
      echo "slicing failed on $name: $(tail -2 "$CACHE/work/$name.slicer.log")" >&2
      echo "failed" >"$ref"
    fi
    rm -f "$gcode"
  fi
  echo "$name $stl $ref"
done
