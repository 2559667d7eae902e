namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Checks whether the model's axis-aligned bounding box fits the printer in one of the six axis-aligned
/// orientations (each axis of the model may become the printer's Z; the other two may swap by a 90° turn about Z).
/// Diagonal placements are not tried, so "does not fit" may be pessimistic for long thin parts.
/// </summary>
internal static class BuildVolumeFit
{
    private static readonly (int X, int Y, int Z, string Name)[] Orientations =
    [
        (0, 1, 2, "as-is (Z up)"),
        (1, 0, 2, "rotated 90° about Z"),
        (0, 2, 1, "rotated 90° about X (model Y up)"),
        (2, 0, 1, "rotated 90° about X, then 90° about Z (model Y up)"),
        (2, 1, 0, "rotated 90° about Y (model X up)"),
        (1, 2, 0, "rotated 90° about Y, then 90° about Z (model X up)"),
    ];

    public static (bool Fits, string? Orientation) Check(Vector3d size, Vector3d build)
    {
        Span<double> s = [size.X, size.Y, size.Z];
        // A hair of tolerance so a part drawn exactly to the bed size is not rejected by rounding.
        double eps = 1e-9 * Math.Max(1, Math.Max(build.X, Math.Max(build.Y, build.Z)));
        foreach (var (x, y, z, name) in Orientations)
            if (s[x] <= build.X + eps && s[y] <= build.Y + eps && s[z] <= build.Z + eps)
                return (true, name);
        return (false, null);
    }
}
