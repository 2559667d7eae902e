using System.Runtime.CompilerServices;
namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// One pass over the triangles computing, per orientation patch, everything that depends on the face normal.
/// Each patch's final orientation is decided only after nesting is known, so overhang and support are summed for
/// both choices (keep / flip) and the caller picks one.
/// </summary>
internal sealed class GeometryPass
{
    public double RawVolume6 { get; private set; }
    public double Area { get; private set; }
    public long Degenerate { get; private set; }
    /// <summary>Σ area × sin(slope): the surface as the perimeters see it (a vertical wall counts fully).</summary>
    public double SideArea { get; private set; }
    /// <summary>Σ area × |cos(slope)|: top and bottom surfaces projected on the bed (solid layers).</summary>
    public double FlatArea { get; private set; }
    /// <summary>Area of the faces lying on the bed (the first layer's footprint).</summary>
    public double BedArea { get; private set; }
    public required double[] RawPatchVolume6 { get; init; }
    public required double[] PatchVolume6 { get; init; }
    public required double[] OverhangKeep { get; init; }
    public required double[] OverhangFlip { get; init; }
    public required double[] SupportKeep { get; init; }
    public required double[] SupportFlip { get; init; }
    /// <summary>Slice by slice; null when the faces span more bands than the budget (see <see cref="ProfileBudget"/>).</summary>
    public LayerProfile? Profile { get; private set; }

    /// <summary>
    /// Band crossings the profile may cost: a few per triangle for any real mesh (small faces span one band or none),
    /// so only a hostile mesh of tall slivers runs out, and then it gets no profile instead of a quadratic pass.
    /// </summary>
    public static long ProfileBudget(long triangles) => 8 * triangles + 1_000_000;

    /// <remarks>
    /// Volume: sum of signed tetrahedra (origin, a, b, c), with the origin moved to the bounding-box centre so a
    /// part placed far from the origin loses no digits to cancellation (the sum is translation-invariant for a closed
    /// surface). Overhang: faces whose outward normal points down by more than the allowed angle from vertical,
    /// i.e. n.z &lt; -sin(angle), excluding faces lying on the bed (all corners within a hair of the lowest Z).
    /// Support volume: for each overhang face, its area projected on the bed times the height of its centroid above
    /// the bed — a column straight down to the plate. It overestimates where the column would land on the part
    /// itself and ignores support density; it is a pricing estimate, not a slicer.
    /// </remarks>
    /// <param name="patches">Null treats the whole mesh as one patch with every face kept as it is.</param>
    public static GeometryPass Run(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, BoundingBox box,
        OrientationPatches? patches, double overhangAngleDegrees, bool landedSupport = false)
    {
        int n = patches?.PatchCount ?? 1;
        var result = new GeometryPass
        {
            RawPatchVolume6 = new double[n], PatchVolume6 = new double[n],
            OverhangKeep = new double[n], OverhangFlip = new double[n],
            SupportKeep = new double[n], SupportFlip = new double[n],
        };
        double ox = (box.Min.X + box.Max.X) / 2, oy = (box.Min.Y + box.Max.Y) / 2, oz = (box.Min.Z + box.Max.Z) / 2;
        double bed = box.Min.Z;
        var size = box.Size;
        double scale = Math.Max(size.X, Math.Max(size.Y, size.Z));
        double bedTolerance = Math.Max(1e-6, 1e-9 * scale);
        // "Zero area" up to rounding: twice the area below 1e-12 of the model's squared size.
        double degenerateCross = 1e-12 * Math.Max(scale * scale, 1e-30);
        double sinLimit = Math.Sin(Math.Clamp(overhangAngleDegrees, 0, 90) * Math.PI / 180);

        double volume6 = 0, area2 = 0, side2 = 0, flat2 = 0, bed2 = 0;
        long degenerate = 0;
        var patchOf = patches?.PatchOf;
        var sign = patches?.Sign;
        var rawPatch = result.RawPatchVolume6;
        var fixedPatch = result.PatchVolume6;
        int triangles = indices.Length / 3;
        var profile = new ProfileSums(box, ProfileBudget(triangles), triangles, landedSupport);
        for (int t = 0; t < triangles; t++)
        {
            int a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
            double ax = p[a] - ox, ay = p[a + 1] - oy, az = p[a + 2] - oz;
            double e1x = p[b] - p[a], e1y = p[b + 1] - p[a + 1], e1z = p[b + 2] - p[a + 2];
            double e2x = p[c] - p[a], e2y = p[c + 1] - p[a + 1], e2z = p[c + 2] - p[a + 2];
            double nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
            double length = Math.Sqrt(nx * nx + ny * ny + nz * nz);
            // (a - o) · ((b - a) × (c - a)) equals (a - o) · ((b - o) × (c - o)): six times the signed tetrahedron.
            double v6 = ax * nx + ay * ny + az * nz;
            volume6 += v6;
            area2 += length;
            // Orientation-independent, so summed for the whole mesh whatever the patches decide.
            flat2 += Math.Abs(nz);
            double horizontal = Math.Sqrt(nx * nx + ny * ny);
            side2 += horizontal;
            if (length <= degenerateCross) { degenerate++; }
            int patch = 0, s = 1;
            if (patchOf is not null)
            {
                patch = patchOf[t];
                if (patch < 0) continue; // collapsed: no edges, no area, no volume
                s = sign![t];
            }
            rawPatch[patch] += v6;
            fixedPatch[patch] += s * v6;
            if (length <= degenerateCross) continue;

            // n.z / |n| compared with ±sin(limit) without dividing: |n.z| < sin(limit) × |n| is not steep either way.
            double limit = sinLimit * length;
            double zA = p[a + 2], zB = p[b + 2], zC = p[c + 2];
            bool onBed = Math.Max(zA, Math.Max(zB, zC)) - bed <= bedTolerance;
            if (profile.Enabled)
            {
                int overhang = onBed ? 0 : s * nz <= -limit ? 1 : -1;
                profile.Add(p, a, b, c, zA, zB, zC, s * nx, s * ny, s * nz, horizontal, overhang, ox, oy);
                // Columns land on faces that face up or down at least ~12° from vertical; near-vertical walls have no area to stop on.
                double snz = s * nz;
                int kind = !profile.Gridded ? -1 : overhang > 0 ? SupportGrid.Overhang : snz > 0.2 * length ? SupportGrid.Up
                    : overhang == 0 || snz < -0.2 * length ? SupportGrid.Down : -1;
                if (kind >= 0)
                    profile.Grid(p, a, b, c, zA, zB, zC, ax + ox, ay + oy, e1x, e1y, e2x, e2y, kind, kind == SupportGrid.Overhang && snz <= -0.99 * length);
            }
            if (Math.Abs(nz) < limit) continue;
            if (onBed) { bed2 += length; continue; } // lies on the bed
            double faceArea = length / 2;
            double supportColumn = Math.Abs(nz) / 2 * ((zA + zB + zC) / 3 - bed);
            if (s * nz <= -limit) { result.OverhangKeep[patch] += faceArea; result.SupportKeep[patch] += supportColumn; }
            else { result.OverhangFlip[patch] += faceArea; result.SupportFlip[patch] += supportColumn; }
        }
        result.RawVolume6 = volume6;
        result.Area = area2 / 2;
        result.SideArea = side2 / 2;
        result.FlatArea = flat2 / 2;
        result.BedArea = bed2 / 2;
        result.Degenerate = degenerate;
        result.Profile = profile.Build(volume6 < 0);
        return result;
    }

    /// <summary>Per-band sums of the profile (all areas doubled, as the cross products give them).</summary>
    private struct ProfileSums
    {
        private readonly double _bed, _band, _perBand;
        private readonly int _bands;
        private readonly double[]? _area2, _outline, _up2, _down2, _over2, _upRise2, _downRise2, _cut;
        private readonly int[]? _segments;
        private long _budget;
        private SupportGrid? _grid;
        private readonly int _gridStride;
        private int _skipped;

        public ProfileSums(BoundingBox box, long budget, long triangles, bool landedSupport)
        {
            double height = box.Size.Z;
            _bed = box.Min.Z;
            _bands = height > 0 && double.IsFinite(height)
                ? (int)Math.Clamp(Math.Ceiling(height / LayerProfile.MinBandMm - 1e-9), 1, LayerProfile.MaxBands)
                : 0;
            _band = _bands > 0 ? height / _bands : 0;
            _perBand = _bands > 0 ? 1 / _band : 0;
            _budget = budget;
            if (_bands == 0) return;
            _area2 = new double[_bands];
            _outline = new double[_bands];
            _segments = new int[_bands];
            _up2 = new double[_bands];
            _down2 = new double[_bands];
            _over2 = new double[_bands];
            _upRise2 = new double[_bands];
            _downRise2 = new double[_bands];
            _cut = new double[_bands];
            _grid = landedSupport ? SupportGrid.Create(box, _bands, _bed, _perBand, budget) : null;
            _gridStride = _grid is null ? 1 : (int)Math.Clamp(triangles / (16L * _grid.Cells), 1, 8);
        }

        /// <summary>Marks the face on the support grid, at its band, as one kind of surface (<see cref="SupportGrid.Overhang"/>…).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Grid(ReadOnlySpan<double> p, int a, int b, int c, double zA, double zB, double zC, double xA, double yA,
            double e1x, double e1y, double e2x, double e2y, int kind, bool flat)
        {
            if (_grid is null) return;
            // Most faces of a fine mesh are under a cell across: they mark their centroid's cell (at most one cell off the
            // centre they cover), and dozens of them cover each cell, so only every n-th marks it (n from the faces per cell, at most 8).
            if (Math.Abs(e1x) + Math.Abs(e2x) < _grid.CellMm && Math.Abs(e1y) + Math.Abs(e2y) < _grid.CellMm)
            {
                if (++_skipped < _gridStride) return;
                _skipped = 0;
                _grid.Mark(xA + (e1x + e2x) * (1.0 / 3), yA + (e1y + e2y) * (1.0 / 3), (zA + zB + zC) * (1.0 / 3), kind, flat);
            }
            else if (!_grid.Add(p, a, b, c, zA, zB, zC, kind, flat)) _grid = null;
        }

        public readonly bool Gridded => _grid is not null;

        public readonly bool Enabled => _area2 is not null && _budget >= 0;

        /// <param name="overhang">1: needs support, -1: other faces, 0: lies on the bed.</param>
        /// <param name="horizontal">|n.xy|: the face's area (doubled) projected on a vertical plane, how far it rises.</param>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ReadOnlySpan<double> p, int a, int b, int c, double zA, double zB, double zC, double nx, double ny, double nz,
            double horizontal, int overhang, double ox, double oy)
        {
            // The face's projection on the bed goes to the band of its centroid: up-facing makes top skin, down-facing
            // bottom skin; a face across several bands spreads it over them below (Cut).
            int centroid = Math.Clamp((int)(((zA + zB + zC) * (1.0 / 3) - _bed) * _perBand), 0, _bands - 1);
            if (overhang > 0) _over2![centroid] -= nz;
            double lo = Math.Min(zA, Math.Min(zB, zC)), hi = Math.Max(zA, Math.Max(zB, zC));
            // Plane k (z = bed + (k + ½) band) is crossed when lo < z_k <= hi: a corner on the plane counts as above it.
            // Estimates from below, corrected by the loops (z - bed is never negative, so truncation is a floor here).
            int first = Math.Max(0, (int)((lo - _bed) * _perBand - 0.5));
            while (first < _bands && Plane(first) <= lo) first++;
            int last = Math.Min(_bands - 1, (int)((hi - _bed) * _perBand - 0.5) + 1);
            while (last >= first && Plane(last) > hi) last--;
            if (last <= first || _budget < last - first + 1) Surface(centroid, nz, horizontal, 1);
            if (last < first) return;
            _budget -= last - first + 1;
            if (_budget < 0) return;
            Cut(p, a, b, c, first, last, nx, ny, nz, horizontal, ox, oy);
        }

        /// <summary>Adds <paramref name="share"/> of the face's surface to band <paramref name="k"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Surface(int k, double nz, double horizontal, double share)
        {
            // The rise beside the projection tells a slope from a flat: a ring of slope θ has projection / rise = 1 / tan θ.
            if (nz > 0) { _up2![k] += share * nz; _upRise2![k] += share * horizontal; }
            else
            {
                _down2![k] -= share * nz;
                if (nz < 0) _downRise2![k] += share * horizontal; // vertical walls face neither way
            }
        }

        /// <summary>Adds the face's segment on planes <paramref name="first"/>..<paramref name="last"/>, all of which it crosses.</summary>
        private readonly void Cut(ReadOnlySpan<double> p, int a, int b, int c, int first, int last, double nx, double ny, double nz,
            double horizontal, double ox, double oy)
        {
            double cut = 0;
            // Corners by height: the long edge (low to high) crosses every plane, the short edges split them at the middle corner.
            int l = a, m = b, u = c;
            if (p[l + 2] > p[m + 2]) (l, m) = (m, l);
            if (p[m + 2] > p[u + 2]) (m, u) = (u, m);
            if (p[l + 2] > p[m + 2]) (l, m) = (m, l);
            double lx = p[l], ly = p[l + 1], lz = p[l + 2], mx = p[m], my = p[m + 1], mz = p[m + 2], ux = p[u], uy = p[u + 1], uz = p[u + 2];
            double longRun = 1 / (uz - lz);
            double lowRun = mz > lz ? 1 / (mz - lz) : 0, highRun = uz > mz ? 1 / (uz - mz) : 0;
            for (int k = first; k <= last; k++)
            {
                double z = Plane(k);
                double t = (z - lz) * longRun;
                double px = lx + t * (ux - lx), py = ly + t * (uy - ly), qx, qy;
                if (z < mz) { t = (z - lz) * lowRun; qx = lx + t * (mx - lx); qy = ly + t * (my - ly); }
                else { t = (z - mz) * highRun; qx = mx + t * (ux - mx); qy = my + t * (uy - my); }
                double dx = qx - px, dy = qy - py;
                // Walk the outline with the solid on the left (the outward normal on the right): the shoelace sum is
                // then the area enclosed, holes counted negative.
                if (dy * nx - dx * ny < 0) { (px, py, qx, qy) = (qx, qy, px, py); }
                _area2![k] += (px - ox) * (qy - oy) - (qx - ox) * (py - oy);
                double length = Math.Sqrt(dx * dx + dy * dy);
                _outline![k] += length;
                _segments![k]++;
                _cut![k] = length;
                cut += length;
            }
            // A face across several bands (a coarse cone's side) spreads its surface over them as wide as it is there:
            // a plane face's width at a height is what it projects per unit of height.
            if (last == first) return;
            for (int k = first; k <= last; k++)
                Surface(k, nz, horizontal, cut > 0 ? _cut![k] / cut : 1.0 / (last - first + 1));
        }

        private readonly double Plane(int k) => _bed + (k + 0.5) * _band;

        /// <param name="inverted">The whole surface points inwards: areas and up/down swap sign.</param>
        public readonly LayerProfile? Build(bool inverted)
        {
            if (!Enabled) return null;
            var area = new double[_bands];
            var outline = new double[_bands];
            var up = new double[_bands];
            var down = new double[_bands];
            var over = new double[_bands];
            var upRise = new double[_bands];
            var downRise = new double[_bands];
            for (int k = 0; k < _bands; k++)
            {
                area[k] = Math.Max(0, (inverted ? -_area2![k] : _area2![k]) / 2);
                outline[k] = _outline![k];
                up[k] = (inverted ? _down2![k] : _up2![k]) / 2;
                down[k] = (inverted ? _up2![k] : _down2![k]) / 2;
                over[k] = inverted ? 0 : _over2![k] / 2;
                upRise[k] = (inverted ? _downRise2![k] : _upRise2![k]) / 2;
                downRise[k] = (inverted ? _upRise2![k] : _downRise2![k]) / 2;
            }
            return new LayerProfile(_band, area, outline, _segments!, up, down, over)
            {
                Support = inverted || _grid is null ? null : _grid.Measure(_band),
                UpRiseMm2 = upRise,
                DownRiseMm2 = downRise,
            };
        }
    }

    /// <summary>Bounding box of each patch: minX, minY, minZ, maxX, maxY, maxZ.</summary>
    public static double[] PatchBoxes(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, OrientationPatches patches)
    {
        var boxes = new double[6 * patches.PatchCount];
        for (int i = 0; i < patches.PatchCount; i++)
        {
            boxes[6 * i] = boxes[6 * i + 1] = boxes[6 * i + 2] = double.MaxValue;
            boxes[6 * i + 3] = boxes[6 * i + 4] = boxes[6 * i + 5] = double.MinValue;
        }
        for (int t = 0; t < indices.Length / 3; t++)
        {
            int patch = patches.PatchOf[t];
            if (patch < 0) continue;
            for (int k = 0; k < 3; k++)
            {
                int v = 3 * indices[3 * t + k];
                for (int axis = 0; axis < 3; axis++)
                {
                    double x = p[v + axis];
                    if (x < boxes[6 * patch + axis]) boxes[6 * patch + axis] = x;
                    if (x > boxes[6 * patch + 3 + axis]) boxes[6 * patch + 3 + axis] = x;
                }
            }
        }
        return boxes;
    }
}
