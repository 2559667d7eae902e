using System.Numerics;
using System.Runtime.CompilerServices;

namespace PrintFlow.Geometry.Building;

/// <summary>
/// Accumulates welded vertices and triangles for the text and 3MF readers. Welding uses an open-addressing table
/// keyed on the exact bits of the coordinates: CAD exporters write shared corners with identical digits, so exact
/// matching is both correct and far cheaper than tolerance-based merging.
/// </summary>
internal sealed class MeshBuilder
{
    private double[] _positions;
    private int _vertexCount;
    private int[] _indices;
    private long _triangleCount;
    private int[] _table; // vertex index + 1, 0 = empty
    private int _mask;
    private readonly long _maxTriangles;
    private readonly Deadline _deadline;
    private int _work; // calls since the deadline was last checked

    public MeshBuilder(int expectedVertices, int expectedTriangles, long maxTriangles, Deadline? deadline = null)
    {
        _maxTriangles = maxTriangles;
        _deadline = deadline ?? Deadline.None;
        _positions = new double[Math.Max(16, Math.Min(expectedVertices, 1 << 24)) * 3];
        _indices = new int[Math.Max(16, Math.Min(expectedTriangles, 1 << 24)) * 3];
        int capacity = (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, expectedVertices * 2)));
        _table = new int[capacity];
        _mask = capacity - 1;
    }

    private const int CheckMask = (1 << 14) - 1; // a clock read per ~16k calls: well under a millisecond apart

    public int VertexCount => _vertexCount;
    public long TriangleCount => _triangleCount;

    /// <summary>Returns the welded index of (x, y, z); throws on NaN or infinity.</summary>
    public int AddVertex(double x, double y, double z)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(z)) throw Errors.NonFinite();
        if ((++_work & CheckMask) == 0) _deadline.Check();
        // +0.0 folds -0.0 into +0.0 so that the two zeros weld.
        x += 0.0; y += 0.0; z += 0.0;
        ulong bx = BitConverter.DoubleToUInt64Bits(x), by = BitConverter.DoubleToUInt64Bits(y), bz = BitConverter.DoubleToUInt64Bits(z);
        int slot = (int)Hash(bx, by, bz) & _mask;
        var positions = _positions;
        while (true)
        {
            int entry = _table[slot];
            if (entry == 0) break;
            int p = (entry - 1) * 3;
            if (positions[p] == x && positions[p + 1] == y && positions[p + 2] == z) return entry - 1;
            slot = (slot + 1) & _mask;
        }
        int index = _vertexCount++;
        if (index * 3 + 3 > _positions.Length) Array.Resize(ref _positions, checked(_positions.Length * 2));
        _positions[index * 3] = x; _positions[index * 3 + 1] = y; _positions[index * 3 + 2] = z;
        _table[slot] = index + 1;
        if (_vertexCount * 2 > _table.Length) Grow();
        return index;
    }

    public void AddTriangle(int a, int b, int c)
    {
        if (_triangleCount >= _maxTriangles) throw Errors.TooManyTriangles(_maxTriangles);
        if ((++_work & CheckMask) == 0) _deadline.Check();
        long i = _triangleCount * 3;
        if (i + 3 > _indices.Length)
        {
            if (_indices.Length >= Array.MaxLength / 2) throw Errors.TooManyTriangles(_triangleCount);
            Array.Resize(ref _indices, _indices.Length * 2);
        }
        _indices[i] = a; _indices[i + 1] = b; _indices[i + 2] = c;
        _triangleCount++;
    }

    public Mesh Build(ModelFormat format, IReadOnlyList<ModelWarning> warnings, double scale = 1.0)
    {
        if (_triangleCount == 0) throw Errors.Empty();
        if (scale != 1.0)
            for (int i = 0; i < _vertexCount * 3; i++) _positions[i] *= scale;
        return new Mesh(_positions, _vertexCount, _indices, _triangleCount, format, warnings);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ulong x, ulong y, ulong z)
    {
        // Round CAD numbers have all-zero low mantissa bits: fold the halves together first, mix, and hand back the
        // high bits (which depend on every input bit) for the caller to mask.
        ulong h = (x ^ (x >> 32)) * 0x9E3779B97F4A7C15UL;
        h = (h ^ y ^ (y >> 32)) * 0xC2B2AE3D27D4EB4FUL;
        h = (h ^ z ^ (z >> 32)) * 0x165667B19E3779F9UL;
        return (h ^ (h >> 31)) >> 24;
    }

    private void Grow()
    {
        int capacity = _table.Length * 2;
        var table = new int[capacity];
        int mask = capacity - 1;
        for (int v = 0; v < _vertexCount; v++)
        {
            int slot = (int)Hash(BitConverter.DoubleToUInt64Bits(_positions[3 * v]),
                BitConverter.DoubleToUInt64Bits(_positions[3 * v + 1]),
                BitConverter.DoubleToUInt64Bits(_positions[3 * v + 2])) & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = v + 1;
        }
        _table = table;
        _mask = mask;
    }
}
