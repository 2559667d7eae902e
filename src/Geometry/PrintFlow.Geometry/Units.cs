using System.Runtime.CompilerServices;
namespace PrintFlow.Geometry;

internal static class Units
{
    public static double ToMillimetres(LengthUnit unit) => unit switch
    {
        LengthUnit.Millimetre => 1.0,
        LengthUnit.Centimetre => 10.0,
        LengthUnit.Metre => 1000.0,
        LengthUnit.Inch => 25.4,
        _ => 1.0,
    };

    // Printable parts run from about a millimetre to a couple of metres; outside that the unit was probably wrong.
    private const double SmallestPlausibleMm = 1.0;
    private const double LargestPlausibleMm = 2000.0;

    /// <summary>Beyond a kilometre from the origin the coordinates are garbage, and cubes of them overflow doubles.</summary>
    public const double MaxCoordinateMm = 1e6;

    /// <summary>
    /// Rejects coordinates too far out to be a part (they would overflow the volume sums), and, when the caller did
    /// not give units, adds a warning naming the likely unit if the size is implausible for millimetres.
    /// </summary>
    public static void Check(Mesh mesh, bool warnAboutUnits, List<ModelWarning> warnings)
    {
        if (mesh.VertexCount == 0) return;
        var box = mesh.Bounds;
        double minX = box.Min.X, minY = box.Min.Y, minZ = box.Min.Z, maxX = box.Max.X, maxY = box.Max.Y, maxZ = box.Max.Z;
        double extreme = Math.Max(Math.Max(Math.Max(-minX, maxX), Math.Max(-minY, maxY)), Math.Max(-minZ, maxZ));
        if (extreme > MaxCoordinateMm)
            throw new ModelFormatException("model.coordinates-out-of-range",
                $"The model has a coordinate {extreme:G3} mm from the origin; parts must lie within {MaxCoordinateMm:G0} mm of it.");
        if (!warnAboutUnits) return;
        double size = Math.Max(maxX - minX, Math.Max(maxY - minY, maxZ - minZ));
        if (size < SmallestPlausibleMm)
        {
            // Below 0.3 units a part in metres would be at most 300 mm, the common case for CAD exports in metres;
            // between 0.3 and 1 unit inches (7.6-25 mm) are the likelier mistake.
            var (unit, name) = size < 0.3 ? (LengthUnit.Metre, "metres") : (LengthUnit.Inch, "inches");
            warnings.Add(new ModelWarning("units.suspect-small",
                $"The model is only {size:G3} mm across; it was probably drawn in {name}. Set the unit to {unit} if so."));
        }
        else if (size > LargestPlausibleMm)
        {
            warnings.Add(new ModelWarning("units.suspect-large",
                $"The model is {size / 1000:G3} m across; it was probably drawn in a unit smaller than millimetres (e.g. micrometres) or the unit is wrong."));
        }
    }
}
