using System.Text;

namespace PrintFlow.Pricing.Service.Tests.Support;

/// <summary>Generated closed meshes, written as binary STL files.</summary>
internal static class Meshes
{
    /// <summary>
    /// A closed UV sphere of <c>2 × slices × (stacks − 1)</c> triangles (1,000,000 with the defaults, ~50 MB),
    /// shifted by <paramref name="offsetX"/> so several spheres are different files.
    /// </summary>
    public static string Sphere(string directory, int slices = 1000, int stacks = 501, double radius = 40, double offsetX = 0)
    {
        var path = Path.Combine(directory, $"sphere-{slices}x{stacks}-{offsetX}.stl");
        // Every vertex computed once, so triangles sharing an edge share bit-identical corners (watertight).
        var ring = new (float X, float Y, float Z)[(stacks - 1) * slices];
        for (var i = 1; i < stacks; i++)
        {
            var phi = Math.PI * i / stacks;
            for (var j = 0; j < slices; j++)
            {
                var theta = 2 * Math.PI * j / slices;
                ring[(i - 1) * slices + j] = ((float)(offsetX + radius + radius * Math.Sin(phi) * Math.Cos(theta)),
                    (float)(radius + radius * Math.Sin(phi) * Math.Sin(theta)), (float)(radius + radius * Math.Cos(phi)));
            }
        }

        var top = ((float)(offsetX + radius), (float)radius, (float)(2 * radius));
        var bottom = ((float)(offsetX + radius), (float)radius, 0f);
        (float, float, float) V(int i, int j) => ring[(i - 1) * slices + (j % slices)];

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(stream);
        writer.Write(Encoding.ASCII.GetBytes("PrintFlow test sphere".PadRight(80)));
        writer.Write((uint)(2 * slices * (stacks - 1)));
        for (var j = 0; j < slices; j++)
        {
            Triangle(writer, top, V(1, j), V(1, j + 1));
            Triangle(writer, bottom, V(stacks - 1, j + 1), V(stacks - 1, j));
            for (var i = 1; i < stacks - 1; i++)
            {
                Triangle(writer, V(i, j), V(i + 1, j), V(i + 1, j + 1));
                Triangle(writer, V(i, j), V(i + 1, j + 1), V(i, j + 1));
            }
        }

        return path;
    }

    private static void Triangle(BinaryWriter writer, (float X, float Y, float Z) a, (float X, float Y, float Z) b, (float X, float Y, float Z) c)
    {
        writer.Write(0f); writer.Write(0f); writer.Write(0f);
        writer.Write(a.X); writer.Write(a.Y); writer.Write(a.Z);
        writer.Write(b.X); writer.Write(b.Y); writer.Write(b.Z);
        writer.Write(c.X); writer.Write(c.Y); writer.Write(c.Z);
        writer.Write((ushort)0);
    }
}
