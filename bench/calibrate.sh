#!/usr/bin/env bash
# Estimator calibration against PrusaSlicer, one command:
#   bench/calibrate.sh [--fit] [--folds K] [--seed N]
# 1. writes the corpus (bench/calibration/corpus.py: seeded OpenSCAD families, ~170 parts) and renders and slices each
#    part once with exactly ExactSlicer.Arguments and Slicer/mk3s-020.ini (bench/calibration/references.sh), cached
#    outside the checkout so every worktree shares it: ${PRINTFLOW_CALIBRATION_CACHE:-$HOME/.cache/printflow/calibration},
#    keyed by part text + OpenSCAD + PrusaSlicer versions + profile hash;
# 2. runs the estimator on every part (bench/PrintFlow.Bench.Calibration: physical model, features, ms per model);
# 3. prints the K-fold cross-validated error table by size class and family (bench/calibration/fit.py), the committed
#    fixture parts (tests/Fixtures/Models/scad) as a holdout never fitted on, and a last line
#    parts=N time_median_err=X% time_p90_err=Y% grams_median_err=Z% grams_p90_err=V% ms_per_model=W
# --fit also rewrites src/Services/Pricing/PrintFlow.Pricing.Core/Estimation/FdmCorrection.Coefficients.g.cs from all
# corpus parts (then rebuild and run again to check the shipped coefficients). Slicing runs under nice, one at a time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FIT="" FOLDS=10 SEED=1
while (($#)); do
  case $1 in
    --fit) FIT=1 ;;
    --folds) FOLDS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    *) echo "usage: bench/calibrate.sh [--fit] [--folds K] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done
PROFILE=src/BuildingBlocks/PrintFlow.Slicing/mk3s-020.ini
CACHE=${PRINTFLOW_CALIBRATION_CACHE:-$HOME/.cache/printflow/calibration}
GENERATED=src/Services/Pricing/PrintFlow.Pricing.Core/Estimation/FdmCorrection.Coefficients.g.cs
started=$(date +%s)

missing=()
command -v openscad >/dev/null || missing+=(openscad)
command -v prusa-slicer >/dev/null || missing+=(prusa-slicer)
if ((${#missing[@]})); then
  sudo=(); ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

rm -rf "$CACHE/scad" && mkdir -p "$CACHE/scad"
python3 bench/calibration/corpus.py "$CACHE/scad" --seed "$SEED"
for f in tests/Fixtures/Models/scad/*.scad; do cp "$f" "$CACHE/scad/fixture-$(basename "$f")"; done
# Index-major order (box-00, bracket-00, …, box-01, …): an interrupted cold run still covers every family.
mapfile -t parts < <(cd "$CACHE/scad" && ls *.scad | awk -F'[-.]' '{ print $(NF-1) "\t" $0 }' | sort -s -k1,1 | cut -f2)
bench/calibration/references.sh "$CACHE" "$PROFILE" "${parts[@]/#/$CACHE/scad/}" >"$CACHE/refs.txt"
sliced=$(date +%s)

dotnet build bench/PrintFlow.Bench.Calibration/PrintFlow.Bench.Calibration.csproj -c Release -v q -nologo -clp:ErrorsOnly >"$CACHE/build.log" 2>&1 \
  || { cat "$CACHE/build.log" >&2; exit 1; }
dotnet bench/PrintFlow.Bench.Calibration/bin/Release/net10.0/PrintFlow.Bench.Calibration.dll <"$CACHE/refs.txt" >"$CACHE/features.tsv"
# Landed support ships (docs/pricing-calibration.md, "Landed support columns"): grams of the part alone × its correction + support.
fit_args=("$CACHE/features.tsv" --folds "$FOLDS" --landed-support)
[[ $FIT ]] && fit_args+=(--write "$GENERATED")
echo "references: $(($sliced - $started)) s (rendering and slicing, cached parts skipped); total: $(($(date +%s) - $started)) s before the fit"
python3 bench/calibration/fit.py "${fit_args[@]}"
