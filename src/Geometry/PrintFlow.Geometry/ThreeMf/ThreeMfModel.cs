namespace PrintFlow.Geometry.ThreeMf;

/// <summary>What one .model part of a 3MF package declares: its objects and (for the root part) the build.</summary>
internal sealed class ThreeMfPart
{
    public string Unit { get; set; } = "millimeter";
    public Dictionary<int, ThreeMfObject> Objects { get; } = [];
    public List<ThreeMfReference> BuildItems { get; } = [];
}

internal sealed class ThreeMfObject
{
    public List<double> Vertices { get; } = [];
    public List<int> Triangles { get; } = [];
    public List<ThreeMfReference> Components { get; } = [];
}

/// <summary>A build item or component: an object (optionally in another part, production extension) and a transform.</summary>
internal sealed record ThreeMfReference(int ObjectId, string? Path, double[] Transform);

/// <summary>3MF affine transform, row-vector convention: p' = p · M + t, stored as m00 m01 m02 m10 … m22 m30 m31 m32.</summary>
internal static class Transform3x4
{
    public static readonly double[] Identity = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];

    /// <summary>The transform that applies <paramref name="first"/> and then <paramref name="then"/>.</summary>
    public static double[] Compose(double[] first, double[] then)
    {
        var r = new double[12];
        for (int row = 0; row < 4; row++)
            for (int col = 0; col < 3; col++)
            {
                double sum = row == 3 ? then[9 + col] : 0;
                for (int k = 0; k < 3; k++) sum += first[row * 3 + k] * then[k * 3 + col];
                r[row * 3 + col] = sum;
            }
        return r;
    }

    public static double Determinant(double[] m) =>
        m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}
