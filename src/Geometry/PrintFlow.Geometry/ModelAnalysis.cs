namespace PrintFlow.Geometry;

/// <summary>Read and analyze in one call: what Pricing and the CLI use.</summary>
public static class ModelAnalysis
{
    /// <summary>Bump whenever results change for the same input: Pricing caches analyses by (SHA-256, Version).</summary>
    public const int Version = 2; // 2: side, flat and bed-contact areas

    public static MeshAnalysis AnalyzeFile(string path, ReadOptions? read = null, AnalysisOptions? analysis = null) =>
        AnalyzeAndRecycle(ModelReader.Read(path, read), analysis);

    public static MeshAnalysis AnalyzeStream(Stream stream, string fileName, ReadOptions? read = null, AnalysisOptions? analysis = null) =>
        AnalyzeAndRecycle(ModelReader.Read(stream, fileName, read), analysis);

    // The mesh never leaves this call, so its big arrays can serve the next model (no page faults for it).
    private static MeshAnalysis AnalyzeAndRecycle(Mesh mesh, AnalysisOptions? analysis)
    {
        try
        {
            return MeshAnalyzer.Analyze(mesh, analysis);
        }
        finally
        {
            mesh.Recycle();
        }
    }
}
