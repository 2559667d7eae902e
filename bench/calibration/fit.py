#!/usr/bin/env python3
"""Fits and judges the estimator's correction (src/Services/Pricing/PrintFlow.Pricing.Core/Estimation/FdmCorrection.cs).

Reads the table PrintFlow.Bench.Calibration writes (reference, physical model, features per part) and
- judges by k-fold cross-validation: parts are split into K folds by a hash of their name; each fold's figures come
  from a correction fitted on the other folds only, so every reported error is on parts outside that fit;
- prints the errors by size class and the physical model's errors beside them;
- with --write FILE, fits on every part and writes the coefficients as C# (FdmCorrection.Coefficients.g.cs).
The fit is ridge regression of ln(reference / physical) on the standardised features (intercept not penalised),
with Huber-style reweighting so a few odd parts do not pull everyone else.
With --landed-support (what ships, bench/calibrate.sh passes it) grams are the part without support times a correction
fitted on the part alone (ridge --ridge-part-grams) plus support from the landed-column measures; a part without them
(no grid) keeps the single correction of the whole grams (ridge --ridge-grams), as the estimator does.
Usage: fit.py FEATURES.tsv [--folds 10] [--ridge 2.0] [--ridge-grams 30] [--ridge-part-grams 100] [--landed-support] [--write FILE]
"""
import hashlib, math, os, sys

args = sys.argv[1:]
path = args[0]
folds = int(args[args.index("--folds") + 1]) if "--folds" in args else 10
ridge_time = float(args[args.index("--ridge") + 1]) if "--ridge" in args else 2.0
# Grams depend on fewer effects than time, and a few parts with badly guessed support would drag a loose fit about.
ridge_grams = float(args[args.index("--ridge-grams") + 1]) if "--ridge-grams" in args else 30.0
write = args[args.index("--write") + 1] if "--write" in args else None
landed = "--landed-support" in args
ridge_part = float(args[args.index("--ridge-part-grams") + 1]) if "--ridge-part-grams" in args else 100.0

rows = [l.rstrip("\n").split("\t") for l in open(path)]
head, rows = rows[0], rows[1:]
col = {n: i for i, n in enumerate(head)}
fnames = head[col["ms"] + 1:]
parts = []
for r in rows:
    d = {n: (r[i] if n == "name" else float(r[i])) for n, i in col.items()}
    d["x"] = [float(v) for v in r[col["ms"] + 1:]]
    parts.append(d)
# The committed fixture parts (tests/Fixtures/Models) are never fitted on: a holdout judged by the fit on the whole corpus.
holdout = [p for p in parts if p["name"].startswith("fixture-")]
parts = [p for p in parts if not p["name"].startswith("fixture-")]


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if m[i][i] else 0 for i in range(n)]


def fit(train, target, ridge):
    k = len(train[0]["x"])
    mean = [sum(p["x"][j] for p in train) / len(train) for j in range(k)]
    sd = [math.sqrt(sum((p["x"][j] - mean[j]) ** 2 for p in train) / len(train)) or 1 for j in range(k)]
    z = [[1.0] + [(p["x"][j] - mean[j]) / sd[j] for j in range(1, k)] for p in train]
    y = [target(p) for p in train]
    w = [1.0] * len(train)
    for _ in range(6):  # Huber reweighting: residuals beyond 10 % (in log) count linearly
        a = [[sum(w[i] * z[i][r] * z[i][c] for i in range(len(z))) + (ridge if r == c and r > 0 else 0) for c in range(k)] for r in range(k)]
        b = [sum(w[i] * z[i][r] * y[i] for i in range(len(z))) for r in range(k)]
        beta = solve(a, b)
        res = [y[i] - sum(bj * zj for bj, zj in zip(beta, z[i])) for i in range(len(z))]
        w = [1.0 if abs(e) <= 0.10 else 0.10 / abs(e) for e in res]
    raw = [beta[0] - sum(beta[j] * mean[j] / sd[j] for j in range(1, k))] + [beta[j] / sd[j] for j in range(1, k)]
    lo = [min(p["x"][j] for p in train) for j in range(k)]
    hi = [max(p["x"][j] for p in train) for j in range(k)]
    return raw, lo, hi


def factor(coef, lo, hi, x):
    s = sum(c * min(max(v, a), b) for c, v, a, b in zip(coef, x, lo, hi))
    return min(max(math.exp(s), 0.5), 2.0)


# --landed-support (docs/pricing-calibration.md, "Landed support columns"): support fitted on its own, a linear fit of
# the slicer's support mm³ on the analysis' landed-column measures, each error weighed as a share of the part's grams,
# every coefficient at least 0; the log-linear correction then scales the part without its support, so support cannot
# pull parts that have none. Time stays as before.
SUPPORT = ["sup_columns_mm3", "sup_contact_mm2", "sup_part_mm2", "sup_bed_mm2", "sup_side_mm2"]
DENSITY = 1.24  # g/cm³, PLA: the material the calibration tool estimates with


def fit_support(train):
    ps = [p for p in train if p["ref_support_mm3"] >= 0 and p["sup_columns_mm3"] >= 0]
    active = list(range(len(SUPPORT)))
    while True:
        a = [[sum(p[SUPPORT[i]] * p[SUPPORT[j]] / (p["ref_g"] / DENSITY * 1000) ** 2 for p in ps) + (1e-9 if i == j else 0) for j in active] for i in active]
        b = [sum(p[SUPPORT[i]] * p["ref_support_mm3"] / (p["ref_g"] / DENSITY * 1000) ** 2 for p in ps) for i in active]
        beta = solve(a, b)
        if all(v >= 0 for v in beta): break
        active = [i for i, v in zip(active, beta) if v >= 0]  # drop the terms the fit wants negative, refit the rest
    coef = [0.0] * len(SUPPORT)
    for i, v in zip(active, beta): coef[i] = v
    return coef


def support_g(coef, p):
    return sum(c * max(p[n], 0) for c, n in zip(coef, SUPPORT)) * DENSITY / 1000


def grams(p, gc, pc, sc):
    """The estimator's grams: landed support and the part-only correction, or (no grid, or not --landed-support) the single correction."""
    if landed and p["sup_columns_mm3"] >= 0: return p["phys_part_g"] * factor(*pc, p["x"]) + support_g(sc, p)
    return p["phys_g"] * factor(*gc, p["x"])


T = lambda p: math.log(p["ref_s"] / p["phys_s"])
G = lambda p: math.log(p["ref_g"] / p["phys_g"])
# The slicer's part without its support, against the physical model's part (--landed-support).
GP = lambda p: math.log((p["ref_g"] - max(p["ref_support_mm3"], 0) * DENSITY / 1000) / p["phys_part_g"])
fold = lambda p: int(hashlib.sha256(p["name"].encode()).hexdigest(), 16) % folds
for f in range(folds):
    train = [p for p in parts if fold(p) != f]
    test = [p for p in parts if fold(p) == f]
    if not test: continue
    tc = fit(train, T, ridge_time)
    gc = fit(train, G, ridge_grams)
    pc, sc = (fit(train, GP, ridge_part), fit_support(train)) if landed else (None, None)
    for p in test:
        p["cv_s"] = p["phys_s"] * factor(*tc, p["x"])
        p["cv_g"] = grams(p, gc, pc, sc)


def q(v, f):
    v = sorted(v)
    return v[min(len(v) - 1, int(math.ceil(f * len(v))) - 1)] if v else float("nan")


def stats(ps, est, ref):
    e = [abs(p[est] / p[ref] - 1) * 100 for p in ps]
    return q(e, 0.5), q(e, 0.9), max(e) if e else float("nan")


classes = [("< 1 cm³", lambda v: v < 1), ("1–10 cm³", lambda v: 1 <= v < 10), ("10–50 cm³", lambda v: 10 <= v < 50),
           ("≥ 50 cm³", lambda v: v >= 50), ("> 10 cm³ (all)", lambda v: v > 10), ("all", lambda v: True)]
print(f"ridge: time {ridge_time}, grams {ridge_grams}" + (f", part grams {ridge_part} (landed support)" if landed else ""))
print(f"{len(parts)} parts, {folds}-fold cross-validation (each figure from a fit without that part's fold); |error| in %\n")
print("| parts by volume | n | time median | time p90 | time max | grams median | grams p90 | grams max | physical model alone: time median / p90, grams median / p90 |")
print("|---|---|---|---|---|---|---|---|---|")
for label, keep in classes:
    ps = [p for p in parts if keep(math.exp(p["x"][1]))]
    if not ps: continue
    t, g, pt, pg = stats(ps, "cv_s", "ref_s"), stats(ps, "cv_g", "ref_g"), stats(ps, "phys_s", "ref_s"), stats(ps, "phys_g", "ref_g")
    print(f"| {label} | {len(ps)} | {t[0]:.1f} | {t[1]:.1f} | {t[2]:.1f} | {g[0]:.1f} | {g[1]:.1f} | {g[2]:.1f} | {pt[0]:.1f} / {pt[1]:.1f}, {pg[0]:.1f} / {pg[1]:.1f} |")

fams = sorted({p["name"].rsplit("-", 1)[0] for p in parts})
print("\n| family | n | time median | time p90 | grams median | grams p90 | mean signed time error |")
print("|---|---|---|---|---|---|---|")
for fam in fams:
    ps = [p for p in parts if p["name"].rsplit("-", 1)[0] == fam]
    t, g = stats(ps, "cv_s", "ref_s"), stats(ps, "cv_g", "ref_g")
    signed = sum(p["cv_s"] / p["ref_s"] - 1 for p in ps) / len(ps) * 100
    print(f"| {fam} | {len(ps)} | {t[0]:.1f} | {t[1]:.1f} | {g[0]:.1f} | {g[1]:.1f} | {signed:+.1f} |")

worst = sorted(parts, key=lambda p: -abs(p["cv_s"] / p["ref_s"] - 1))[:8]
print("\nworst time (cross-validated): " + ", ".join(f"{p['name']} {100 * (p['cv_s'] / p['ref_s'] - 1):+.0f} %" for p in worst))
shipped = stats(parts, "est_s", "ref_s"), stats(parts, "est_g", "ref_g")
print(f"shipped coefficients on the whole corpus (in-sample, not a judgement): time median {shipped[0][0]:.1f} % p90 {shipped[0][1]:.1f} %, "
      f"grams median {shipped[1][0]:.1f} % p90 {shipped[1][1]:.1f} %")

tc, gc = fit(parts, T, ridge_time), fit(parts, G, ridge_grams)
pc, sc = (fit(parts, GP, ridge_part), fit_support(parts)) if landed else (None, None)
if landed:
    print("landed support, mm³ per unit: " + ", ".join(f"{n} {c:.4g}" for n, c in zip(SUPPORT, sc)))
if holdout:
    print("\nholdout, the committed fixture parts (fit on the whole corpus, never on these):\n")
    print("| part | slicer g | estimate g | error | slicer time | estimate time | error |")
    print("|---|---|---|---|---|---|---|")
    hms = lambda s: f"{int(s) // 3600}h {int(s) % 3600 // 60:02d}m"
    for p in sorted(holdout, key=lambda p: p["name"]):
        g = grams(p, gc, pc, sc)
        t = p["phys_s"] * factor(*tc, p["x"])
        print(f"| {p['name'][8:]} | {p['ref_g']:.2f} | {g:.2f} | {100 * (g / p['ref_g'] - 1):+.1f} % | {hms(p['ref_s'])} | {hms(t)} | {100 * (t / p['ref_s'] - 1):+.1f} % |")
        p["h_g"], p["h_s"] = g, t
    print(f"\nholdout mean |error|: grams {sum(abs(p['h_g'] / p['ref_g'] - 1) for p in holdout) / len(holdout) * 100:.2f} %, "
          f"time {sum(abs(p['h_s'] / p['ref_s'] - 1) for p in holdout) / len(holdout) * 100:.2f} %")
if write:
    arr = lambda v: "[" + ", ".join(f"{x:.6g}" for x in v) + "]"
    with open(write, "w") as f:
        f.write(f"""// <auto-generated> by bench/calibration/fit.py (bench/calibrate.sh --fit) on {len(parts)} corpus parts; do not edit by hand. </auto-generated>
#nullable enable
namespace PrintFlow.Pricing.Core;

public static partial class FdmCorrection
{{
    // Features: {", ".join(fnames)}
    private static readonly double[] FeatureMin = {arr(tc[1])};
    private static readonly double[] FeatureMax = {arr(tc[2])};
    private static readonly double[] GramsCoefficients = {arr(gc[0])};
    private static readonly double[] TimeCoefficients = {arr(tc[0])};
    // Landed support: the part-only grams correction, and support mm³ per unit of {", ".join(SUPPORT)}.
    private static readonly double[]? PartGramsCoefficients = {arr(pc[0]) if landed else "null"};
    private static readonly double[]? SupportCoefficients = {arr(sc) if landed else "null"};
}}
""")
    print(f"wrote {write}")

ms = q([p["ms"] for p in parts], 0.5)
large = [p for p in parts if math.exp(p["x"][1]) > 10]
t, g = stats(large, "cv_s", "ref_s"), stats(large, "cv_g", "ref_g")
print(f"over 10 cm3: parts={len(large)} time_median_err={t[0]:.1f}% time_p90_err={t[1]:.1f}% grams_median_err={g[0]:.1f}% grams_p90_err={g[1]:.1f}%")
t, g = stats(parts, "cv_s", "ref_s"), stats(parts, "cv_g", "ref_g")
print(f"parts={len(parts)} time_median_err={t[0]:.1f}% time_p90_err={t[1]:.1f}% grams_median_err={g[0]:.1f}% grams_p90_err={g[1]:.1f}% ms_per_model={ms:.1f}")
