using System.Text;

namespace PrintFlow.Testing;

/// <summary>Real model files for tests: small closed meshes with a known volume.</summary>
public static class StlFiles
{
    /// <summary>A binary STL of an axis-aligned cube with edge <paramref name="size"/> mm (12 triangles, volume size³).</summary>
    public static byte[] BinaryCube(double size = 20)
    {
        var s = (float)size;
        (float X, float Y, float Z)[] v =
        [
            (0, 0, 0), (s, 0, 0), (s, s, 0), (0, s, 0),
            (0, 0, s), (s, 0, s), (s, s, s), (0, s, s),
        ];
        int[][] faces =
        [
            [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7],
            [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5],
            [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
        ];
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(Encoding.ASCII.GetBytes("PrintFlow test cube".PadRight(80)));
        writer.Write((uint)faces.Length);
        foreach (var face in faces)
        {
            writer.Write(0f); writer.Write(0f); writer.Write(0f);
            foreach (var index in face)
            {
                writer.Write(v[index].X); writer.Write(v[index].Y); writer.Write(v[index].Z);
            }

            writer.Write((ushort)0);
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
