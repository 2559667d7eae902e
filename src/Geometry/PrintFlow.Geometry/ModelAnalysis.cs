namespace PrintFlow.Geometry;

/// <summary>Read and analyze in one call: what Pricing and the CLI use.</summary>
public static class ModelAnalysis
{
    /// <summary>Bump whenever results change for the same input: Pricing caches analyses by (SHA-256, Version).</summary>
    public const int Version = 4; // 2: side, flat and bed-contact areas; 3: the layer profile; 4: landed support by default

    public static MeshAnalysis AnalyzeFile(string path, ReadOptions? read = null, AnalysisOptions? analysis = null) =>
        AnalyzeAndRecycle(ModelReader.Read(path, read, Deadline.None), analysis, Deadline.None);

    /// <summary>
    /// Reads and analyzes within <paramref name="timeout"/> (counted from this call): past it the model is refused
    /// with a ModelFormatException coded <c>model.too-complex</c>, so no file can hold a worker for ever.
    /// <paramref name="cancellationToken"/> stops it early with an OperationCanceledException.
    /// </summary>
    public static MeshAnalysis AnalyzeFile(string path, ReadOptions? read, AnalysisOptions? analysis, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var deadline = new Deadline(timeout, cancellationToken);
        return AnalyzeAndRecycle(ModelReader.Read(path, read, deadline), analysis, deadline);
    }

    /// <summary>
    /// Like <see cref="AnalyzeFile(string, ReadOptions?, AnalysisOptions?, TimeSpan, CancellationToken)"/>, within the
    /// same deadline, but hands back the parsed mesh too, for exact mode to write out for the slicer.
    /// </summary>
    public static (Mesh Mesh, MeshAnalysis Analysis) ReadAndAnalyzeFile(string path, ReadOptions? read, AnalysisOptions? analysis,
        TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = new Deadline(timeout, cancellationToken);
        var mesh = ModelReader.Read(path, read, deadline);
        return (mesh, MeshAnalyzer.Analyze(mesh, analysis, deadline));
    }

    public static MeshAnalysis AnalyzeStream(Stream stream, string fileName, ReadOptions? read = null, AnalysisOptions? analysis = null) =>
        AnalyzeAndRecycle(ModelReader.Read(stream, fileName, read), analysis, Deadline.None);

    /// <inheritdoc cref="AnalyzeFile(string, ReadOptions?, AnalysisOptions?, TimeSpan, CancellationToken)"/>
    public static MeshAnalysis AnalyzeStream(Stream stream, string fileName, ReadOptions? read, AnalysisOptions? analysis,
        TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = new Deadline(timeout, cancellationToken);
        return AnalyzeAndRecycle(ModelReader.Read(stream, fileName, read, deadline), analysis, deadline);
    }

    // The mesh never leaves this call, so its big arrays can serve the next model (no page faults for it).
    private static MeshAnalysis AnalyzeAndRecycle(Mesh mesh, AnalysisOptions? analysis, Deadline deadline)
    {
        try
        {
            return MeshAnalyzer.Analyze(mesh, analysis, deadline);
        }
        finally
        {
            mesh.Recycle();
        }
    }
}
