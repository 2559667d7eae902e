using System.Text;

namespace PrintFlow.Testing;

/// <summary>Real model files for tests: small closed meshes with a known volume.</summary>
public static class StlFiles
{
    /// <summary>A binary STL of an axis-aligned cube with edge <paramref name="size"/> mm (12 triangles, volume size³).</summary>
    public static byte[] BinaryCube(double size = 20) => BinaryBoxes((0, 0, 0, size, size, size));

    /// <summary>
    /// A table: a 20 × 20 × 2 mm top on a 4 × 4 × 10 mm leg (24 triangles). The top's underside overhangs and needs
    /// support; the leg stands on the bed.
    /// </summary>
    public static byte[] Table() => BinaryBoxes((8, 8, 0, 4, 4, 10), (0, 0, 10, 20, 20, 2));

    /// <summary>A binary STL of axis-aligned boxes (corner x, y, z and size x, y, z in mm), 12 triangles each, outward normals.</summary>
    public static byte[] BinaryBoxes(params (double X, double Y, double Z, double SizeX, double SizeY, double SizeZ)[] boxes)
    {
        int[][] faces =
        [
            [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7],
            [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5],
            [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
        ];
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(Encoding.ASCII.GetBytes("PrintFlow test cube".PadRight(80)));
        writer.Write((uint)(faces.Length * boxes.Length));
        foreach (var box in boxes)
        {
            float x0 = (float)box.X, y0 = (float)box.Y, z0 = (float)box.Z;
            float x1 = (float)(box.X + box.SizeX), y1 = (float)(box.Y + box.SizeY), z1 = (float)(box.Z + box.SizeZ);
            (float X, float Y, float Z)[] v =
            [
                (x0, y0, z0), (x1, y0, z0), (x1, y1, z0), (x0, y1, z0),
                (x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1),
            ];
            foreach (var face in faces)
            {
                writer.Write(0f); writer.Write(0f); writer.Write(0f);
                foreach (var index in face)
                {
                    writer.Write(v[index].X); writer.Write(v[index].Y); writer.Write(v[index].Z);
                }

                writer.Write((ushort)0);
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Bytes that claim to be a binary STL with 1000 triangles but end after two.</summary>
    public static byte[] TruncatedBinary()
    {
        var cube = BinaryCube();
        var broken = cube[..(84 + 2 * 50)];
        BitConverter.GetBytes(1000u).CopyTo(broken, 80);
        return broken;
    }
}
