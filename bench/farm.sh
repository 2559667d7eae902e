#!/usr/bin/env bash
# Farm benchmark, one command (no deployment, so no lock: the embedded host and the printer simulator in one process):
#   bench/farm.sh                                   # 8 printers, 300 orders, speed-up 20000, a fault every 15 prints
#   bench/farm.sh --printers 4 --orders 60          # a quick run; also --speedup N --fault-every N --seed N
# The same orders (three fixture models of mixed sizes, PLA and PETG, some Express) run twice through the real host:
# with plates (FeatureManagement:Plates on) and one part per print. Prints are real PrusaSlicer G-code (cached by
# content hash, so each distinct plate composition is sliced once) sent over OctoPrint's API to simulated printers that
# take the G-code's own time estimate; every Nth print is made to fail mid-print and the printer is reset after it.
# Times are the printers' own (docs/mes.md). Last line:
#   printers=N orders=N utilisation=X% wait_p95_min=Y reprinted=Z lost=0 printed_twice=0 makespan_ratio=R
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v prusa-slicer >/dev/null || { echo "farm: PrusaSlicer is needed (apt-get install prusa-slicer)" >&2; exit 2; }
echo "== building the farm bench (Release)" >&2
dotnet build bench/PrintFlow.Bench.Farm/PrintFlow.Bench.Farm.csproj -c Release -v q -nologo -clp:ErrorsOnly >&2
cd bench/PrintFlow.Bench.Farm/bin/Release/net10.0
exec dotnet PrintFlow.Bench.Farm.dll "$@"
