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
    /// <summary>
    /// Also measure where support columns land and which overhangs are bridged (<see cref="LayerProfile.Support"/>), on a
    /// coarse XY grid filled in the same pass. On by default: the estimator's support and grams are fitted on it
    /// (docs/pricing-calibration.md, "Landed support columns"), so every quote path measures it the same way.
    /// </summary>
    public bool LandedSupport { get; init; } = true;
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

    /// <summary>
    /// The part slice by slice (Z bands from the bottom), what per-layer print-time and support estimates read; null when
    /// unknown (a hand-built analysis, or a mesh whose faces span more bands than the analysis budget allows).
    /// </summary>
    public LayerProfile? Profile { get; init; }
}

/// <summary>
/// Cross-sections of the part in equal Z bands from the bed up, each sampled on its middle plane, computed in the same
/// pass over the triangles as the other sums (each triangle adds its intersection segment to every band it spans).
/// </summary>
/// <param name="BandMm">Thickness of one band; the bands cover the bounding box's height.</param>
/// <param name="AreaMm2">Cross-section area on each band's middle plane (holes subtracted).</param>
/// <param name="OutlineMm">Length of the cross-section's outline there (outer and hole contours).</param>
/// <param name="OutlineSegments">Straight pieces of that outline (one per face crossed): a curved part has many short ones.</param>
/// <param name="UpMm2">Upward-facing surface in the band projected on the bed: where top solid layers go.</param>
/// <param name="DownMm2">Downward-facing surface in the band projected on the bed (the bed contact included): bottom solid layers.</param>
/// <param name="OverhangMm2">The part of <paramref name="DownMm2"/> steeper than the overhang angle: what needs support.</param>
public sealed record LayerProfile(
    double BandMm,
    IReadOnlyList<double> AreaMm2,
    IReadOnlyList<double> OutlineMm,
    IReadOnlyList<int> OutlineSegments,
    IReadOnlyList<double> UpMm2,
    IReadOnlyList<double> DownMm2,
    IReadOnlyList<double> OverhangMm2)
{
    /// <summary>The most bands a profile has: a tall part gets bands thicker than <see cref="MinBandMm"/>.</summary>
    public const int MaxBands = 256;

    /// <summary>The thinnest band: one layer of a standard 0.2 mm FDM profile.</summary>
    public const double MinBandMm = 0.2;

    public int Bands => AreaMm2.Count;

    /// <summary>
    /// Support columns from every overhang that is not a bridge down to the part or the bed below it, rasterised on a
    /// coarse XY grid; null when not measured (inverted surface, hostile mesh over the budget, built by hand).
    /// </summary>
    public LandedSupport? Support { get; init; }

    /// <summary>
    /// The up-facing surface of each band projected on a vertical plane (area × sine of its slope): beside
    /// <see cref="UpMm2"/> it tells a slope from a flat (a ring sloped at θ has <c>UpMm2 / UpRiseMm2 = 1 / tan θ</c>, a
    /// flat top no rise); null when not measured (built by hand).
    /// </summary>
    public IReadOnlyList<double>? UpRiseMm2 { get; init; }

    /// <summary>The same for the down-facing surface (<see cref="DownMm2"/>).</summary>
    public IReadOnlyList<double>? DownRiseMm2 { get; init; }

    /// <summary>Equal when every band is: two analyses of the same file compare equal, profile included.</summary>
    public bool Equals(LayerProfile? other) =>
        other is not null && BandMm.Equals(other.BandMm) && AreaMm2.SequenceEqual(other.AreaMm2) && OutlineMm.SequenceEqual(other.OutlineMm)
        && OutlineSegments.SequenceEqual(other.OutlineSegments) && UpMm2.SequenceEqual(other.UpMm2) && DownMm2.SequenceEqual(other.DownMm2)
        && OverhangMm2.SequenceEqual(other.OverhangMm2) && Equals(Support, other.Support)
        && SameBands(UpRiseMm2, other.UpRiseMm2) && SameBands(DownRiseMm2, other.DownRiseMm2);

    private static bool SameBands(IReadOnlyList<double>? a, IReadOnlyList<double>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    public override int GetHashCode() => HashCode.Combine(BandMm, Bands);
}

/// <summary>Support columns as PrusaSlicer builds them, measured on a coarse XY grid (<see cref="LayerProfile.Support"/>).</summary>
/// <param name="ColumnsMm3">Space the columns fill, from each overhang down to the part or the bed.</param>
/// <param name="ContactMm2">Area where columns meet an overhang above them: the top interface layers.</param>
/// <param name="PartLandingMm2">Area where columns stand on the part: the bottom interface layers.</param>
/// <param name="BedLandingMm2">Area where columns stand on the bed.</param>
/// <param name="SideMm2">The columns' outer walls: the slicer's sheath around the sparse pattern.</param>
/// <param name="BridgedMm2">Flat overhang anchored on the part at both ends: bridged, given no column.</param>
public sealed record LandedSupport(double ColumnsMm3, double ContactMm2, double PartLandingMm2, double BedLandingMm2, double SideMm2, double BridgedMm2);
