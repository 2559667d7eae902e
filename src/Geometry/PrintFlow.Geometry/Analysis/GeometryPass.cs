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
        OrientationPatches? patches, double overhangAngleDegrees)
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
            side2 += Math.Sqrt(nx * nx + ny * ny);
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
            if (Math.Abs(nz) < limit) continue;
            double zA = p[a + 2], zB = p[b + 2], zC = p[c + 2];
            if (Math.Max(zA, Math.Max(zB, zC)) - bed <= bedTolerance) { bed2 += length; continue; } // lies on the bed
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
        return result;
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
