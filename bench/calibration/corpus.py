#!/usr/bin/env python3
"""Writes the calibration corpus: seeded parametric OpenSCAD parts, one .scad file each, into OUT_DIR.

Same seed, same files (the cache keys on each file's text). Families cover what a print shop receives:
enclosures, brackets, gears, vases and thin shells, towers, flat plates, lattices, text and logos, overhangs
that need support, very small parts, organic hulls and solid blocks, from a few millimetres to several print hours.
Usage: corpus.py OUT_DIR [--seed N]
"""
import os, random, sys

FONT = "DejaVu Sans:style=Bold"


def box(r):
    x, y, h = r.uniform(20, 120), r.uniform(20, 100), r.uniform(10, 60)
    w = r.choice([0.8, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0])
    rr = r.uniform(1, 6)
    bosses = r.random() < 0.5
    s = f"""module rb(x, y, h, r) {{ hull() for (i = [r, x - r], j = [r, y - r]) translate([i, j, 0]) cylinder(r = r, h = h, $fn = 32); }}
difference() {{ rb({x:.1f}, {y:.1f}, {h:.1f}, {rr:.1f}); translate([{w}, {w}, {w}]) rb({x - 2 * w:.1f}, {y - 2 * w:.1f}, {h:.1f}, {max(rr - w, 0.5):.1f}); }}
"""
    if bosses:
        s += f"for (i = [{w + 4:.1f}, {x - w - 4:.1f}], j = [{w + 4:.1f}, {y - w - 4:.1f}]) translate([i, j, 0]) difference() {{ cylinder(d = 7, h = {h * 0.8:.1f}, $fn = 32); translate([0, 0, {w}]) cylinder(d = 3, h = {h:.1f}, $fn = 16); }}\n"
    return s


def bracket(r):
    a, b, w, t = r.uniform(15, 80), r.uniform(15, 60), r.uniform(8, 40), r.uniform(2, 8)
    holes = r.randint(0, 3)
    gusset = r.random() < 0.5
    s = f"difference() {{ union() {{ cube([{a:.1f}, {w:.1f}, {t:.1f}]); cube([{t:.1f}, {w:.1f}, {b:.1f}]);"
    if gusset:
        s += f" translate([0, {w / 2 - t / 2:.1f}, 0]) rotate([90, 0, 0]) translate([0, 0, -{t:.1f}]) linear_extrude({t:.1f}) polygon([[0, 0], [{a * 0.6:.1f}, 0], [0, {b * 0.6:.1f}]]);"
    s += " }\n"
    for i in range(holes):
        s += f"  translate([{t + (a - t) * (i + 1) / (holes + 1):.1f}, {w / 2:.1f}, -1]) cylinder(d = {min(w * 0.4, 6):.1f}, h = {t + 2:.1f}, $fn = 24);\n"
    return s + "}\n"


def gear(r):
    teeth, rad, th = r.randint(8, 48), r.uniform(8, 50), r.uniform(3, 15)
    tooth = 2 * 3.14159 * rad / teeth
    bore = r.uniform(2, rad * 0.4)
    return f"""teeth = {teeth}; rad = {rad:.2f}; depth = {min(tooth * 0.7, 4):.2f};
difference() {{
  linear_extrude({th:.1f}) union() {{
    circle(r = rad - depth / 2, $fn = teeth * 4);
    for (i = [0 : teeth - 1]) rotate(i * 360 / teeth) polygon([[rad - depth, -{tooth * 0.3:.2f}], [rad + depth / 2, -{tooth * 0.15:.2f}], [rad + depth / 2, {tooth * 0.15:.2f}], [rad - depth, {tooth * 0.3:.2f}]]);
  }}
  translate([0, 0, -1]) cylinder(r = {bore:.2f}, h = {th + 2:.1f}, $fn = 32);
}}
"""


def vase(r):
    h, r0, r1, r2 = r.uniform(30, 150), r.uniform(10, 40), r.uniform(10, 50), r.uniform(8, 40)
    w = r.choice([0.8, 1.0, 1.2, 1.6, 2.0])
    n = r.choice([6, 8, 48, 64])
    pts = [(r0, 0), (r1, h * 0.4), (r2, h)]
    outer = ", ".join(f"[{a:.2f}, {z:.2f}]" for a, z in pts)
    inner = ", ".join(f"[{max(a - w, 0.5):.2f}, {z:.2f}]" for a, z in reversed(pts[1:])) + f", [{max(r0 - w, 0.5):.2f}, {w:.2f}]"
    return f"rotate_extrude($fn = {n}) polygon([[0, 0], {outer}, {inner}, [0, {w:.2f}]]);\n"


def tower(r):
    w, h = r.uniform(5, 25), r.uniform(40, 180)
    kind = r.choice(["solid", "tube", "square", "twist"])
    if kind == "solid":
        return f"cylinder(d = {w:.1f}, h = {h:.1f}, $fn = 48);\n"
    if kind == "tube":
        return f"difference() {{ cylinder(d = {w + 4:.1f}, h = {h:.1f}, $fn = 48); translate([0, 0, 1]) cylinder(d = {w + 4 - 2 * r.uniform(0.8, 2):.2f}, h = {h:.1f}, $fn = 48); }}\n"
    if kind == "square":
        return f"cube([{w:.1f}, {w * r.uniform(0.5, 1.5):.1f}, {h:.1f}]);\n"
    return f"linear_extrude(height = {h:.1f}, twist = {r.randint(45, 360)}, slices = {int(h / 2)}) square({w:.1f}, center = true);\n"


def plate(r):
    x, y, t = r.uniform(60, 200), r.uniform(40, 180), r.uniform(1, 5)
    holes = r.randint(0, 12)
    s = f"difference() {{ cube([{x:.1f}, {y:.1f}, {t:.2f}]);\n"
    for _ in range(holes):
        s += f"  translate([{r.uniform(8, x - 8):.1f}, {r.uniform(8, y - 8):.1f}, -1]) cylinder(d = {r.uniform(3, 12):.1f}, h = {t + 2:.1f}, $fn = 32);\n"
    return s + "}\n"


def lattice(r):
    n, pitch, rod = r.randint(3, 8), r.uniform(5, 15), r.uniform(1.2, 3)
    layers = r.randint(2, 10)
    size = n * pitch
    return f"""size = {size:.1f}; pitch = {pitch:.2f}; rod = {rod:.2f};
module grid() {{ for (i = [0 : {n}]) translate([i * pitch - rod / 2, 0]) square([rod, size]); }}
for (k = [0 : {layers - 1}]) translate([0, 0, k * rod]) linear_extrude(rod) if (k % 2 == 0) grid(); else translate([size, 0]) rotate(90) grid();
"""


def text(r):
    words = ["PrintFlow", "Hello", "42", "OK", "Prusa", "MK3S", "ABC", "Logo", "Zz", "3D"]
    size, th = r.uniform(6, 30), r.uniform(0.8, 6)
    base = r.random() < 0.5
    s = f"linear_extrude({th:.2f}) text(\"{r.choice(words)}\", size = {size:.1f}, font = \"{FONT}\", $fn = 24);\n"
    if base:
        s = f"translate([-2, -2, -1.2]) cube([{size * 4:.1f}, {size * 1.3:.1f}, 1.2]);\n" + s
    return s


def logo(r):
    pts, ro, ri, th = r.randint(4, 9), r.uniform(10, 40), r.uniform(0.3, 0.7), r.uniform(1, 5)
    verts = ", ".join(f"[{(ro if i % 2 == 0 else ro * ri) * __import__('math').cos(i * 3.14159 / pts):.2f}, {(ro if i % 2 == 0 else ro * ri) * __import__('math').sin(i * 3.14159 / pts):.2f}]" for i in range(2 * pts))
    ring = r.random() < 0.5
    s = f"linear_extrude({th:.2f}) difference() {{ polygon([{verts}]); circle(r = {ro * ri * 0.5:.2f}, $fn = 32); }}\n"
    if ring:
        s += f"linear_extrude({th / 2:.2f}) difference() {{ circle(r = {ro * 1.15:.2f}, $fn = 64); circle(r = {ro * 1.05:.2f}, $fn = 64); }}\n"
    return s


def overhang(r):
    kind = r.choice(["mushroom", "tee", "arch", "ball", "shelf"])
    if kind == "mushroom":
        d, h, cap = r.uniform(5, 20), r.uniform(10, 50), r.uniform(20, 70)
        return f"cylinder(d = {d:.1f}, h = {h:.1f}, $fn = 32); translate([0, 0, {h:.1f}]) cylinder(d = {cap:.1f}, h = {r.uniform(2, 8):.1f}, $fn = 64);\n"
    if kind == "tee":
        w, h, a = r.uniform(5, 15), r.uniform(10, 60), r.uniform(20, 80)
        return f"translate([-{w / 2:.1f}, -{w / 2:.1f}, 0]) cube([{w:.1f}, {w:.1f}, {h:.1f}]); translate([-{a / 2:.1f}, -{w / 2:.1f}, {h:.1f}]) cube([{a:.1f}, {w:.1f}, {r.uniform(3, 10):.1f}]);\n"
    if kind == "arch":
        w, h, t = r.uniform(30, 100), r.uniform(15, 60), r.uniform(5, 20)
        return f"difference() {{ cube([{w:.1f}, {t:.1f}, {h:.1f}]); translate([{w / 2:.1f}, -1, 0]) rotate([-90, 0, 0]) cylinder(r = {min(w / 2 - 4, h - 4):.1f}, h = {t + 2:.1f}, $fn = 64); }}\n"
    if kind == "ball":
        d = r.uniform(15, 60)
        return f"translate([0, 0, {d / 2:.1f}]) sphere(d = {d:.1f}, $fn = 48);\n"
    w, h, d = r.uniform(20, 60), r.uniform(20, 60), r.uniform(10, 40)
    return f"cube([{w:.1f}, 5, {h:.1f}]); translate([0, 0, {h - 5:.1f}]) cube([{w:.1f}, {d:.1f}, 5]);\n"


def small(r):
    kind = r.choice(["nut", "washer", "pin", "screw", "cube"])
    if kind == "nut":
        s = r.uniform(4, 14)
        return f"difference() {{ cylinder(d = {s:.2f}, h = {s * 0.4:.2f}, $fn = 6); translate([0, 0, -1]) cylinder(d = {s * 0.5:.2f}, h = {s:.2f}, $fn = 24); }}\n"
    if kind == "washer":
        d = r.uniform(5, 20)
        return f"difference() {{ cylinder(d = {d:.2f}, h = {r.uniform(0.6, 2):.2f}, $fn = 48); translate([0, 0, -1]) cylinder(d = {d * 0.45:.2f}, h = 5, $fn = 32); }}\n"
    if kind == "pin":
        return f"cylinder(d = {r.uniform(2, 6):.2f}, h = {r.uniform(5, 25):.1f}, $fn = 24);\n"
    if kind == "screw":
        d, l = r.uniform(3, 8), r.uniform(8, 30)
        return f"cylinder(d = {d * 1.8:.2f}, h = {d * 0.7:.2f}, $fn = 6); linear_extrude(height = {l:.1f}, twist = {-360 * l / 1.5:.0f}, slices = {int(l * 2)}) translate([0.3, 0]) circle(d = {d:.2f}, $fn = 16);\n"
    a = r.uniform(2, 10)
    return f"cube([{a:.2f}, {a * r.uniform(0.5, 2):.2f}, {a * r.uniform(0.5, 2):.2f}]);\n"


def organic(r):
    hull = r.random() < 0.6
    n = r.randint(2, 6) if hull else r.randint(2, 3)  # CGAL unions of spheres take minutes; keep them few and coarse
    spread = r.uniform(10, 50)
    spheres = []
    for _ in range(n):
        d = r.uniform(8, 40)
        spheres.append(f"translate([{r.uniform(0, spread):.1f}, {r.uniform(0, spread):.1f}, {r.uniform(d / 2, spread):.1f}]) sphere(d = {d:.1f}, $fn = {32 if hull else 20});")
    if hull:
        return "hull() { " + " ".join(spheres) + " }\n"
    return "union() { " + " ".join(spheres) + " }\n"


def solid(r):
    kind = r.choice(["cube", "cyl", "cone", "hollowcyl"])
    a, b, h = r.uniform(10, 90), r.uniform(10, 90), r.uniform(5, 80)
    if kind == "cube":
        return f"cube([{a:.1f}, {b:.1f}, {h:.1f}]);\n"
    if kind == "cyl":
        return f"cylinder(d = {a:.1f}, h = {h:.1f}, $fn = 64);\n"
    if kind == "cone":
        return f"cylinder(d1 = {a:.1f}, d2 = {a * r.uniform(0, 0.8):.1f}, h = {h:.1f}, $fn = 64);\n"
    return f"difference() {{ cylinder(d = {a:.1f}, h = {h:.1f}, $fn = 64); translate([0, 0, -1]) cylinder(d = {a * r.uniform(0.3, 0.9):.1f}, h = {h + 2:.1f}, $fn = 64); }}\n"


FAMILIES = [("box", box, 18), ("bracket", bracket, 14), ("gear", gear, 14), ("vase", vase, 14), ("tower", tower, 12),
            ("plate", plate, 12), ("lattice", lattice, 10), ("text", text, 10), ("logo", logo, 8), ("overhang", overhang, 16),
            ("small", small, 14), ("organic", organic, 12), ("solid", solid, 12)]


def main():
    out = sys.argv[1]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    os.makedirs(out, exist_ok=True)
    for family, make, count in FAMILIES:
        for i in range(count):
            r = random.Random(f"{seed}-{family}-{i}")
            name = f"{family}-{i:02d}"
            with open(os.path.join(out, name + ".scad"), "w") as f:
                f.write(f"// {name}: calibration corpus, seed {seed}\n" + make(r))


if __name__ == "__main__":
    main()
