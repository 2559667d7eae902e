namespace PrintFlow.Geometry;

// The public surface of the geometry library. Pricing.Core, the Pricing service and the CLI code against
// exactly these types; the readers and the analyzer implement them.

public enum ModelFormat { StlBinary, StlAscii, Obj, ThreeMf }

public enum LengthUnit { Millimetre, Centimetre, Metre, Inch }

public readonly record struct Vector3d(double X, double Y, double Z);

public sealed record BoundingBox(Vector3d Min, Vector3d Max)
{
    public Vector3d Size => new(Max.X - Min.X, Max.Y - Min.Y, Max.Z - Min.Z);
}

/// <summary>A machine-readable code and a sentence a person understands, e.g. ("stl.truncated", "The file ends …").</summary>
public sealed record ModelWarning(string Code, string Message);

public sealed class ReadOptions
{
    /// <summary>Units of the file's coordinates; null means millimetres (or the unit a 3MF declares).</summary>
    public LengthUnit? Units { get; init; }
    public long MaxFileBytes { get; init; } = 512L * 1024 * 1024;
    /// <summary>
    /// The most triangles a model may have: in the file (model.too-many-triangles) and, for a 3MF, once its components
    /// are placed (model.too-complex, with at most three vertices per triangle placed).
    /// </summary>
    public long MaxTriangles { get; init; } = 20_000_000;
    /// <summary>
    /// Threads one read may use: 2 welds a large binary STL on disk in two halves at once. The default is 1 because
    /// pricing runs competing workers on shared cores, where a second thread measured slower; use 2 for one large
    /// model on an otherwise idle machine. The resulting mesh is identical for any value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}

public sealed class AnalysisOptions
{
    /// <summary>Faces steeper than this from vertical (degrees) need support; 45° is the FDM rule of thumb.</summary>
    public double OverhangAngleDegrees { get; init; } = 45;
    /// <summary>Printer build volume in mm; null skips the fit check.</summary>
    public Vector3d? BuildVolumeMm { get; init; }
    /// <summary>
    /// Threads one analysis may use (default 1, the calling thread; see ReadOptions.MaxDegreeOfParallelism for why).
    /// Results are identical for any value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}

/// <summary>Thrown for any input that is not a readable model. Never carries a stack trace to users.</summary>
public sealed class ModelFormatException(string code, string message) : Exception(message)
{
    /// <summary>The model is readable but would cost more to build or analyse than allowed (size once placed, or time).</summary>
    public const string TooComplex = "model.too-complex";

    public string Code { get; } = code;
}

public sealed record MeshAnalysis(
    ModelFormat Format,
    long Triangles,
    double VolumeMm3,
    double AreaMm2,
    BoundingBox BoundingBoxMm,
    int Shells,
    bool Watertight,
    long NonManifoldEdges,
    bool OrientationConsistent,
    double VolumeAfterOrientationFixMm3,
    long DegenerateTriangles,
    double OverhangAreaMm2,
    double SupportVolumeMm3,
    bool? FitsBuildVolume,
    string? FitOrientation,
    IReadOnlyList<ModelWarning> Warnings)
{
    /// <summary>
    /// Σ face area × sin(slope from horizontal): vertical walls count fully, flat faces not at all. What an FDM
    /// slicer wraps in perimeters. 0 when unknown (a hand-built analysis).
    /// </summary>
    public double SideAreaMm2 { get; init; }

    /// <summary>Σ face area × |cos(slope)|: top and bottom surfaces projected on the bed, what gets solid layers.</summary>
    public double FlatAreaMm2 { get; init; }

    /// <summary>Area of the faces lying on the bed (within a hair of the lowest Z): the first layer's footprint.</summary>
    public double BedContactAreaMm2 { get; init; }
}
