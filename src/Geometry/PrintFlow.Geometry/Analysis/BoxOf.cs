using System.Runtime.Intrinsics;

namespace PrintFlow.Geometry.Analysis;

/// <summary>Bounding boxes of interleaved x, y, z coordinates (finite: the readers reject NaN and infinity).</summary>
internal static class BoxOf
{
    public static BoundingBox Positions(ReadOnlySpan<double> p)
    {
        if (p.IsEmpty) return new BoundingBox(default, default);
        var acc = Accumulator.Empty;
        acc.Add(p);
        return acc.ToBox();
    }

    /// <summary>
    /// Running minimum and maximum per axis. Parts of one array can be measured by several threads and merged; with
    /// <see cref="ConvertAndAdd"/> the float-to-double conversion of a reader measures as it writes.
    /// </summary>
    public struct Accumulator
    {
        public double MinX, MinY, MinZ, MaxX, MaxY, MaxZ;

        public static Accumulator Empty => new()
        {
            MinX = double.MaxValue, MinY = double.MaxValue, MinZ = double.MaxValue,
            MaxX = double.MinValue, MaxY = double.MinValue, MaxZ = double.MinValue,
        };

        /// <param name="p">Whole vertices: its length is a multiple of 3.</param>
        public void Add(ReadOnlySpan<double> p)
        {
            for (int i = 0; i < p.Length; i += 3) AddVertex(p[i], p[i + 1], p[i + 2]);
        }

        /// <summary>
        /// target[i] = source[i] * scale, measuring the results. Blocks of 24 coordinates (8 vertices) go through
        /// 256-bit vectors: as 24 is a multiple of both 3 and 4, lane j of the block's vectors m and m + 3 always
        /// hold the same axis, (4m + j) mod 3, so three min and three max vectors carry the whole box.
        /// </summary>
        public void ConvertAndAdd(ReadOnlySpan<float> source, Span<double> target, double scale)
        {
            if (source.Length % 3 != 0 || target.Length < source.Length)
                throw new ArgumentException("Whole vertices are converted into a target at least as long as the source.");
            int i = 0;
            if (Vector256.IsHardwareAccelerated && source.Length >= 24)
            {
                var s = Vector256.Create(scale);
                Vector256<double> min0 = Vector256.Create(double.MaxValue), min1 = min0, min2 = min0;
                Vector256<double> max0 = Vector256.Create(double.MinValue), max1 = max0, max2 = max0;
                for (; i <= source.Length - 24; i += 24)
                {
                    var (a, b) = Vector256.Widen(Vector256.Create(source.Slice(i, 8)));
                    var (c, d) = Vector256.Widen(Vector256.Create(source.Slice(i + 8, 8)));
                    var (e, f) = Vector256.Widen(Vector256.Create(source.Slice(i + 16, 8)));
                    a *= s; b *= s; c *= s; d *= s; e *= s; f *= s;
                    a.CopyTo(target.Slice(i, 4)); b.CopyTo(target.Slice(i + 4, 4));
                    c.CopyTo(target.Slice(i + 8, 4)); d.CopyTo(target.Slice(i + 12, 4));
                    e.CopyTo(target.Slice(i + 16, 4)); f.CopyTo(target.Slice(i + 20, 4));
                    min0 = Vector256.Min(min0, Vector256.Min(a, d)); max0 = Vector256.Max(max0, Vector256.Max(a, d));
                    min1 = Vector256.Min(min1, Vector256.Min(b, e)); max1 = Vector256.Max(max1, Vector256.Max(b, e));
                    min2 = Vector256.Min(min2, Vector256.Min(c, f)); max2 = Vector256.Max(max2, Vector256.Max(c, f));
                }
                // Vector m lane j holds axis (4m + j) mod 3, so the 12 lanes of min0..min2 (and of max0..max2) are four
                // x, y, z triples. Each lane is a measured coordinate, so adding it as a vertex moves only the right bound.
                Span<double> lanes = stackalloc double[24];
                min0.CopyTo(lanes); min1.CopyTo(lanes[4..]); min2.CopyTo(lanes[8..]);
                max0.CopyTo(lanes[12..]); max1.CopyTo(lanes[16..]); max2.CopyTo(lanes[20..]);
                for (int k = 0; k < 24; k += 3) AddVertex(lanes[k], lanes[k + 1], lanes[k + 2]);
            }
            for (; i < source.Length; i += 3)
            {
                double x = source[i] * scale, y = source[i + 1] * scale, z = source[i + 2] * scale;
                target[i] = x; target[i + 1] = y; target[i + 2] = z;
                AddVertex(x, y, z);
            }
        }

        public void Merge(in Accumulator other)
        {
            AddVertex(other.MinX, other.MinY, other.MinZ);
            AddVertex(other.MaxX, other.MaxY, other.MaxZ);
        }

        public readonly BoundingBox ToBox() => new(new Vector3d(MinX, MinY, MinZ), new Vector3d(MaxX, MaxY, MaxZ));

        private void AddVertex(double x, double y, double z)
        {
            if (x < MinX) MinX = x;
            if (x > MaxX) MaxX = x;
            if (y < MinY) MinY = y;
            if (y > MaxY) MaxY = y;
            if (z < MinZ) MinZ = z;
            if (z > MaxZ) MaxZ = z;
        }
    }
}
