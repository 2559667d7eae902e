namespace PrintFlow.Geometry;

/// <summary>Read and analyze in one call: what Pricing and the CLI use.</summary>
public static class ModelAnalysis
{
    /// <summary>Bump whenever results change for the same input: Pricing caches analyses by (SHA-256, Version).</summary>
    public const int Version = 2; // 2: side, flat and bed-contact areas

    public static MeshAnalysis AnalyzeFile(string path, ReadOptions? read = null, AnalysisOptions? analysis = null) =>
        MeshAnalyzer.Analyze(ModelReader.Read(path, read), analysis);

    public static MeshAnalysis AnalyzeStream(Stream stream, string fileName, ReadOptions? read = null, AnalysisOptions? analysis = null) =>
        MeshAnalyzer.Analyze(ModelReader.Read(stream, fileName, read), analysis);
}
