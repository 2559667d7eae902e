namespace PrintFlow.Load;

/// <summary>
/// A closed binary STL torus of about <c>triangles</c> triangles, built in memory. A non-zero <c>variant</c> stretches
/// it a little, so each variant is a different file (another SHA-256) with almost the same price.
/// </summary>
internal static class TorusModel
{
    public static byte[] Create(int triangles, int variant = 0)
    {
        var v = Math.Max(3, (int)Math.Sqrt(Math.Max(18, triangles) / 4.0));
        var u = Math.Max(3, Math.Max(18, triangles) / (2 * v));
        var scale = 1 + variant * 1e-5;
        var count = 2 * u * v;
        var bytes = new byte[84 + 50 * count];
        BitConverter.TryWriteBytes(bytes.AsSpan(80), (uint)count);
        var offset = 84;

        (float X, float Y, float Z) Point(int i, int j)
        {
            double a = 2 * Math.PI * (i % u) / u, b = 2 * Math.PI * (j % v) / v;
            double ring = 20 + 6 * Math.Cos(b);
            return ((float)(ring * Math.Cos(a) * scale), (float)(ring * Math.Sin(a)), (float)(6 * Math.Sin(b) + 6));
        }

        void Write((float X, float Y, float Z) p)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(offset), p.X);
            BitConverter.TryWriteBytes(bytes.AsSpan(offset + 4), p.Y);
            BitConverter.TryWriteBytes(bytes.AsSpan(offset + 8), p.Z);
            offset += 12;
        }

        for (var i = 0; i < u; i++)
        {
            for (var j = 0; j < v; j++)
            {
                foreach (var (p, q, r) in new[] { ((i, j), (i + 1, j), (i + 1, j + 1)), ((i, j), (i + 1, j + 1), (i, j + 1)) })
                {
                    offset += 12; // normal: zero, readers recompute it
                    Write(Point(p.Item1, p.Item2));
                    Write(Point(q.Item1, q.Item2));
                    Write(Point(r.Item1, r.Item2));
                    offset += 2;
                }
            }
        }

        return bytes;
    }
}
