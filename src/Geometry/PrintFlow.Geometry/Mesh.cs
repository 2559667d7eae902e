namespace PrintFlow.Geometry;

/// <summary>
/// An indexed triangle mesh in millimetres. Vertices are welded: two corners with exactly the same coordinates share
/// one index, which is what lets the analyzer find shared edges.
/// </summary>
public sealed class Mesh
{
    private readonly double[] _positions; // x, y, z per vertex
    private readonly int[] _indices;      // a, b, c per triangle

    internal Mesh(double[] positions, int vertexCount, int[] indices, long triangleCount, ModelFormat format,
        IReadOnlyList<ModelWarning> warnings)
    {
        _positions = positions;
        _indices = indices;
        VertexCount = vertexCount;
        TriangleCount = triangleCount;
        Format = format;
        Warnings = warnings;
    }

    /// <summary>Builds a mesh from raw arrays (millimetres); vertices are welded on exact coordinates.</summary>
    public static Mesh Create(ReadOnlySpan<double> positions, ReadOnlySpan<int> indices, ModelFormat format = ModelFormat.StlBinary)
    {
        if (positions.Length % 3 != 0 || indices.Length % 3 != 0)
            throw Errors.NotAMesh("Positions and indices must come in groups of three.");
        var builder = new Building.MeshBuilder(positions.Length / 3, indices.Length / 3, long.MaxValue);
        var map = new int[positions.Length / 3];
        for (int i = 0; i < map.Length; i++)
            map[i] = builder.AddVertex(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
        foreach (var index in indices)
            if ((uint)index >= (uint)map.Length)
                throw new ModelFormatException("model.index-out-of-range", $"Triangle index {index} refers to no vertex.");
        for (int t = 0; t < indices.Length; t += 3)
            builder.AddTriangle(map[indices[t]], map[indices[t + 1]], map[indices[t + 2]]);
        var mesh = builder.Build(format, []);
        Units.Check(mesh, warnAboutUnits: false, []);
        return mesh;
    }

    public long TriangleCount { get; }
    public int VertexCount { get; }
    public ModelFormat Format { get; }

    /// <summary>Reader warnings, e.g. a guess that the file was not drawn in millimetres.</summary>
    public IReadOnlyList<ModelWarning> Warnings { get; }

    /// <summary>x, y, z of each vertex in millimetres.</summary>
    public ReadOnlySpan<double> Positions => _positions.AsSpan(0, VertexCount * 3);

    /// <summary>Three vertex indices per triangle.</summary>
    public ReadOnlySpan<int> Indices => _indices.AsSpan(0, checked((int)TriangleCount * 3));

    private BoundingBox? _bounds;

    /// <summary>
    /// The bounding box in millimetres, computed once (a reader that saw every vertex anyway may supply it) and shared
    /// by the unit check and the analysis.
    /// </summary>
    internal BoundingBox Bounds
    {
        get => _bounds ??= Analysis.BoxOf.Positions(Positions);
        init => _bounds = value;
    }

    internal double[] PositionArray => _positions;
    internal int[] IndexArray => _indices;

    /// <summary>The arrays were rented from <see cref="Memory.LargeArrays"/> and may go back once nobody reads them.</summary>
    internal bool RentedArrays { get; init; }

    /// <summary>
    /// Hands rented arrays back for the next model. Only for a mesh nobody else holds (ModelAnalysis reads and
    /// analyzes in one call); the mesh must not be used afterwards.
    /// </summary>
    internal void Recycle()
    {
        if (!RentedArrays) return;
        Memory.LargeArrays.Return(_positions);
        Memory.LargeArrays.Return(_indices);
    }

    public Vector3d GetVertex(int index) =>
        new(_positions[3 * index], _positions[3 * index + 1], _positions[3 * index + 2]);

    public (int A, int B, int C) GetTriangle(long triangle) =>
        (_indices[3 * triangle], _indices[3 * triangle + 1], _indices[3 * triangle + 2]);
}
