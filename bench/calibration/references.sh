#!/usr/bin/env bash
# Renders and slices every corpus part once: CACHE/stl/KEY.stl and CACHE/ref/KEY.ref ("seconds grams"), keyed by
# the part's OpenSCAD text, the OpenSCAD and PrusaSlicer versions and the profile, so reruns only do what changed.
# Beside each ref, KEY.json breaks the slice down by extrusion role and layer (gcode_stats.py), to see where errors come from.
# Usage: references.sh CACHE_DIR PROFILE SCAD...   (prints "name stl ref" per part; RENDER_ONLY=1 only renders)
set -euo pipefail
CACHE=$1 PROFILE=$2; shift 2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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
      python3 "$HERE/gcode_stats.py" "$gcode" --stats "${ref%.ref}.json" >"$ref.tmp"
      mv "$ref.tmp" "$ref"
    else
      echo "slicing failed on $name: $(tail -2 "$CACHE/work/$name.slicer.log")" >&2
      echo "failed" >"$ref"
    fi
    rm -f "$gcode"
  fi
  echo "$name $stl $ref"
done
