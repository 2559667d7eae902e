#!/usr/bin/env python3
"""Reads one PrusaSlicer G-code file and prints the reference figures the calibration needs.

stdout: "seconds grams" (the slicer's own estimate, normal mode); with --stats FILE also writes a JSON breakdown that
explains where the grams and the time go: extruded mm³ and path mm per extrusion role (;TYPE:), layers, first-layer
time, travel moves, retractions, and the extrusion path of every layer (for the cooling-floor analysis).
Usage: gcode_stats.py GCODE [--stats FILE]
"""
import json, math, re, sys

path = sys.argv[1]
stats_path = sys.argv[sys.argv.index("--stats") + 1] if "--stats" in sys.argv else None
FIL_AREA = math.pi * 1.75 ** 2 / 4  # filament_diameter in mk3s-020.ini


def seconds(text):
    return sum(int(v) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[u] for v, u in re.findall(r"(\d+)([dhms])", text))


roles, layers = {}, []
role = "none"
x = y = e = 0.0
travel_moves = travel_mm = retractions = 0
tail = []
num = re.compile(r"([XYZEF])(-?[\d.]+)")
with open(path, errors="replace") as f:
    for line in f:
        if line.startswith(";"):
            if line.startswith(";TYPE:"):
                role = line[6:].strip()
            elif line.startswith(";LAYER_CHANGE"):
                layers.append(0.0)
            elif line.startswith("; ") and ("estimated" in line or "filament used" in line):
                tail.append(line)
            continue
        if line.startswith("G92"):
            m = re.search(r"E(-?[\d.]+)", line)
            if m: e = float(m.group(1))
            continue
        if not (line.startswith("G1 ") or line.startswith("G0 ")):
            continue
        v = dict((k, float(n)) for k, n in num.findall(line.split(";", 1)[0]))
        nx, ny = v.get("X", x), v.get("Y", y)
        d = math.hypot(nx - x, ny - y)
        de = v["E"] - e if "E" in v else 0.0
        if "E" in v: e = v["E"]
        if de > 0 and d > 0:
            r = roles.setdefault(role, [0.0, 0.0])
            r[0] += de * FIL_AREA
            r[1] += d
            if layers: layers[-1] += d
        elif d > 0:
            travel_moves += 1
            travel_mm += d
        elif de < 0:
            retractions += 1
        x, y = nx, ny

text = "".join(tail)
g = float(re.search(r"; (?:total )?filament used \[g\] = ([\d.]+)", text).group(1))
t = seconds(re.search(r"estimated printing time \(normal mode\) = (.*)", text).group(1))
first = re.search(r"estimated first layer printing time \(normal mode\) = (.*)", text)
print(t, g)
if stats_path:
    with open(stats_path, "w") as f:
        json.dump({"seconds": t, "grams": g, "first_layer_s": seconds(first.group(1)) if first else None,
                   "layers": len(layers), "travel_moves": travel_moves, "travel_mm": round(travel_mm, 1),
                   "retractions": retractions,
                   "roles": {k: {"mm3": round(v[0], 2), "path_mm": round(v[1], 1)} for k, v in sorted(roles.items())},
                   "layer_path_mm": [round(p, 1) for p in layers]}, f)
