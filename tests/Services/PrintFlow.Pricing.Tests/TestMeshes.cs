using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Tests;

/// <summary>Mesh analyses built by hand, for price rules that do not depend on a file.</summary>
internal static class TestMeshes
{
    public static MeshAnalysis Box(double x, double y, double z, double supportMm3 = 0, double overhangMm2 = 0, bool watertight = true) =>
        new(ModelFormat.StlBinary, 12, x * y * z, 2 * (x * y + y * z + x * z),
            new BoundingBox(new Vector3d(0, 0, 0), new Vector3d(x, y, z)), 1, watertight, 0, true, x * y * z, 0,
            overhangMm2, supportMm3, null, null, []);

    public static MeshAnalysis Cube(double size) => Box(size, size, size);

    public static MeshAnalysis Flat() =>
        new(ModelFormat.StlBinary, 2, 0, 200, new BoundingBox(new Vector3d(0, 0, 0), new Vector3d(10, 10, 0)), 1, false, 4, true, 0, 0, 0, 0, null, null, []);
}
