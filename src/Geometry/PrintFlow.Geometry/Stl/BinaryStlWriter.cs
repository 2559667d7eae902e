using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PrintFlow.Geometry.Stl;

/// <summary>
/// Writes a mesh as binary STL (float32 corners in millimetres, computed normals). External tools get this file,
/// written from the parsed mesh, instead of the customer's bytes: an STL carries geometry only, no configuration,
/// G-code or metadata for them to act on.
/// </summary>
public static class BinaryStlWriter
{
    // Must not begin with "solid": some tools would take the file for ASCII STL.
    private static readonly byte[] Header = Encoding.ASCII.GetBytes("PrintFlow binary STL".PadRight(80));
    private const int RecordsPerChunk = 4096;

    public static void Write(Mesh mesh, Stream output)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> head = stackalloc byte[BinaryStlReader.HeaderBytes];
        Header.CopyTo(head);
        BinaryPrimitives.WriteUInt32LittleEndian(head[80..], checked((uint)mesh.TriangleCount));
        output.Write(head);

        var positions = mesh.Positions;
        var indices = mesh.Indices;
        var buffer = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * BinaryStlReader.RecordBytes);
        int capacity = buffer.Length / BinaryStlReader.RecordBytes * BinaryStlReader.RecordBytes;
        try
        {
            int used = 0;
            for (int t = 0; t < indices.Length; t += 3)
            {
                var record = buffer.AsSpan(used, BinaryStlReader.RecordBytes);
                WriteRecord(record, positions, indices[t], indices[t + 1], indices[t + 2]);
                used += BinaryStlReader.RecordBytes;
                if (used == capacity)
                {
                    output.Write(buffer, 0, used);
                    used = 0;
                }
            }
            output.Write(buffer, 0, used);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteRecord(Span<byte> record, ReadOnlySpan<double> p, int a, int b, int c)
    {
        double ax = p[3 * a], ay = p[3 * a + 1], az = p[3 * a + 2];
        double bx = p[3 * b], by = p[3 * b + 1], bz = p[3 * b + 2];
        double cx = p[3 * c], cy = p[3 * c + 1], cz = p[3 * c + 2];
        double ux = bx - ax, uy = by - ay, uz = bz - az, vx = cx - ax, vy = cy - ay, vz = cz - az;
        double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        double length = Math.Sqrt(nx * nx + ny * ny + nz * nz);
        if (length > 0) { nx /= length; ny /= length; nz /= length; }
        Span<double> values = [nx, ny, nz, ax, ay, az, bx, by, bz, cx, cy, cz];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(record[(4 * i)..], (float)values[i]);
        BinaryPrimitives.WriteUInt16LittleEndian(record[48..], 0);
    }
}
