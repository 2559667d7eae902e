namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Finds which closed patches lie inside which, to tell cavities and overlapping parts apart.
/// What is checked, precisely: for every pair of patches (A, B) where B is closed and the bounding boxes of A and B
/// intersect, up to five sample points of A (centroids of four triangles spread through A, and the vertex of A nearest
/// the centre of B's box, which catches two boxes that overlap at a corner) are tested for being inside B
/// by ray parity along a fixed skew direction. All samples inside → A is contained in B. Some inside, some outside
/// → A and B intersect. No sample inside → no relation found (two parts that cross without any sampled centroid of
/// one inside the other are missed; this is a heuristic, not a Boolean intersection). The work is capped at a few
/// passes over the triangles; beyond the cap the check stops and says so.
/// </summary>
internal sealed class ShellNesting
{
    private const int SamplesPerPatch = 5;
    private const int VisitCost = 16; // about as long as sixteen ray-triangle tests
    // Skew, irrational-looking direction so rays almost never graze an edge or vertex of axis-aligned CAD geometry.
    private const double Dx = 0.2718281828459045, Dy = 0.3141592653589793, Dz = 0.9098513772914623;

    public int[] Depth { get; }
    public List<(int A, int B)> Intersecting { get; } = [];
    public bool Partial { get; }

    public ShellNesting(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, OrientationPatches patches,
        ReadOnlySpan<double> patchBox /* minX,minY,minZ,maxX,maxY,maxZ per patch */, long workBudget, Deadline? deadline = null)
    {
        deadline ??= Deadline.None;
        int n = patches.PatchCount;
        Depth = new int[n];
        // Only a closed patch can contain another: a triangle soup of thousands of open patches has nothing to test.
        if (n < 2 || Array.IndexOf(patches.Closed, true) < 0) return;

        // Triangles of each patch, grouped (counting sort by patch).
        int triangles = indices.Length / 3;
        var start = new int[n + 1];
        foreach (int patch in patches.PatchOf) if (patch >= 0) start[patch + 1]++;
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        var members = new int[start[n]];
        var cursor = (int[])start.Clone();
        for (int t = 0; t < triangles; t++) if (patches.PatchOf[t] >= 0) members[cursor[patches.PatchOf[t]]++] = t;

        // Sweep over patches sorted by min X so only pairs whose X ranges overlap are visited.
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var minX = new double[n];
        for (int i = 0; i < n; i++) minX[i] = patchBox[6 * i];
        Array.Sort(minX, order);

        long work = 0;
        int visits = 0;
        Span<double> samples = stackalloc double[3 * SamplesPerPatch];
        for (int oi = 0; oi < n && !Partial; oi++)
        {
            int a = order[oi];
            for (int oj = oi + 1; oj < n; oj++)
            {
                int b = order[oj];
                if (patchBox[6 * b] > patchBox[6 * a + 3]) break; // sorted by min X: no later patch overlaps A in X
                // A visit reads two boxes far apart in memory: counted as the cache misses it costs, so a crowd of
                // patches overlapping in X but nothing else cannot spend the budget one cheap unit at a time.
                work += VisitCost;
                if (work > workBudget) { Partial = true; break; }
                if ((++visits & 0xFFF) == 0) deadline.Check();
                if (!patches.Closed[a] && !patches.Closed[b]) continue;
                if (!BoxesOverlap(patchBox, a, b)) continue;
                for (int pair = 0; pair < 2; pair++)
                {
                    var (inner, outer) = pair == 0 ? (a, b) : (b, a);
                    if (!patches.Closed[outer]) continue;
                    int count = Samples(p, indices, members.AsSpan(start[inner], start[inner + 1] - start[inner]), samples,
                        (patchBox[6 * outer] + patchBox[6 * outer + 3]) / 2, (patchBox[6 * outer + 1] + patchBox[6 * outer + 4]) / 2,
                        (patchBox[6 * outer + 2] + patchBox[6 * outer + 5]) / 2);
                    work += (long)count * (start[outer + 1] - start[outer]) + (start[inner + 1] - start[inner]);
                    if (work > workBudget) { Partial = true; break; }
                    int inside = 0;
                    for (int s = 0; s < count; s++)
                        if (Inside(p, indices, members.AsSpan(start[outer], start[outer + 1] - start[outer]),
                                samples[3 * s], samples[3 * s + 1], samples[3 * s + 2])) inside++;
                    if (inside == count && count > 0) Depth[inner]++;
                    else if (inside > 0) Intersecting.Add((inner, outer));
                }
                if (Partial) break;
            }
        }
    }

    private static bool BoxesOverlap(ReadOnlySpan<double> box, int a, int b) =>
        box[6 * a] <= box[6 * b + 3] && box[6 * b] <= box[6 * a + 3] &&
        box[6 * a + 1] <= box[6 * b + 4] && box[6 * b + 1] <= box[6 * a + 4] &&
        box[6 * a + 2] <= box[6 * b + 5] && box[6 * b + 2] <= box[6 * a + 5];

    private static int Samples(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, ReadOnlySpan<int> members, Span<double> samples,
        double cx, double cy, double cz)
    {
        int count = Math.Min(SamplesPerPatch - 1, members.Length);
        for (int s = 0; s < count; s++)
        {
            int t = members[(int)((long)s * members.Length / count)];
            int a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
            samples[3 * s] = (p[a] + p[b] + p[c]) / 3;
            samples[3 * s + 1] = (p[a + 1] + p[b + 1] + p[c + 1]) / 3;
            samples[3 * s + 2] = (p[a + 2] + p[b + 2] + p[c + 2]) / 3;
        }
        double best = double.MaxValue;
        int nearest = -1;
        foreach (int t in members)
        {
            int v = 3 * indices[3 * t];
            double dx = p[v] - cx, dy = p[v + 1] - cy, dz = p[v + 2] - cz;
            double d = dx * dx + dy * dy + dz * dz;
            if (d < best) { best = d; nearest = v; }
        }
        if (nearest < 0) return count;
        samples[3 * count] = p[nearest];
        samples[3 * count + 1] = p[nearest + 1];
        samples[3 * count + 2] = p[nearest + 2];
        return count + 1;
    }

    /// <summary>Ray parity: a point is inside a closed surface when a ray from it crosses the surface an odd number of times.</summary>
    private static bool Inside(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, ReadOnlySpan<int> members, double ox, double oy, double oz)
    {
        int crossings = 0;
        foreach (int t in members)
        {
            int a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
            // Möller–Trumbore.
            double e1x = p[b] - p[a], e1y = p[b + 1] - p[a + 1], e1z = p[b + 2] - p[a + 2];
            double e2x = p[c] - p[a], e2y = p[c + 1] - p[a + 1], e2z = p[c + 2] - p[a + 2];
            double hx = Dy * e2z - Dz * e2y, hy = Dz * e2x - Dx * e2z, hz = Dx * e2y - Dy * e2x;
            double det = e1x * hx + e1y * hy + e1z * hz;
            if (det == 0) continue;
            double inv = 1 / det;
            double sx = ox - p[a], sy = oy - p[a + 1], sz = oz - p[a + 2];
            double u = (sx * hx + sy * hy + sz * hz) * inv;
            if (u < 0 || u > 1) continue;
            double qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
            double v = (Dx * qx + Dy * qy + Dz * qz) * inv;
            if (v < 0 || u + v > 1) continue;
            double dist = (e2x * qx + e2y * qy + e2z * qz) * inv;
            if (dist > 0) crossings++;
        }
        return (crossings & 1) == 1;
    }
}
