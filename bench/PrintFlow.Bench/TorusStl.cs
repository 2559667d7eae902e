namespace PrintFlow.Bench;

/// <summary>
/// Writes a closed, consistently oriented binary STL torus with exactly 2·u·v triangles. Grid points are computed
/// once and reused, so shared corners are bit-identical, as in a real exporter's output.
/// </summary>
internal static class TorusStl
{
    public static (int U, int V) GridFor(int triangles)
    {
        // u:v near 2:1 keeps triangles roughly equilateral on a torus with R ≈ 2.7r; pick the divisor of
        // triangles/2 closest to that shape so the count is exact (10k, 100k, 1M).
        int half = Math.Max(9, triangles / 2);
        int best = 3;
        for (int v = 3; v * v <= half; v++)
            if (half % v == 0 && Math.Abs(Math.Log((double)(half / v) / v / 2)) < Math.Abs(Math.Log((double)(half / best) / best / 2)))
                best = v;
        return (half / best, best);
    }

    public static long Write(string path, int u, int v, double major = 40, double minor = 15)
    {
        var points = new float[u * v * 3];
        for (int i = 0; i < u; i++)
            for (int j = 0; j < v; j++)
            {
                double a = 2 * Math.PI * i / u, b = 2 * Math.PI * j / v;
                double ring = major + minor * Math.Cos(b);
                int k = 3 * (i * v + j);
                points[k] = (float)(ring * Math.Cos(a));
                points[k + 1] = (float)(ring * Math.Sin(a));
                points[k + 2] = (float)(minor * Math.Sin(b) + minor); // rests on z = 0
            }
        long triangles = 2L * u * v;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var header = new byte[84];
        "binary torus from PrintFlow.Bench"u8.CopyTo(header);
        BitConverter.TryWriteBytes(header.AsSpan(80), (uint)triangles);
        file.Write(header);
        var record = new byte[50];
        void Tri(int p, int q, int r)
        {
            Array.Clear(record); // normal left zero: readers recompute it
            Buffer.BlockCopy(points, 12 * p, record, 12, 12);
            Buffer.BlockCopy(points, 12 * q, record, 24, 12);
            Buffer.BlockCopy(points, 12 * r, record, 36, 12);
            file.Write(record);
        }
        for (int i = 0; i < u; i++)
            for (int j = 0; j < v; j++)
            {
                int i1 = (i + 1) % u, j1 = (j + 1) % v;
                int p00 = i * v + j, p10 = i1 * v + j, p11 = i1 * v + j1, p01 = i * v + j1;
                Tri(p00, p10, p11);
                Tri(p00, p11, p01);
            }
        return triangles;
    }
}
