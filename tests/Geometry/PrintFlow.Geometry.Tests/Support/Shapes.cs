using PrintFlow.Geometry;

namespace PrintFlow.Geometry.Tests.Support;

/// <summary>A triangle with corners in counter-clockwise order seen from outside (outward normal).</summary>
public readonly record struct Tri(Vector3d A, Vector3d B, Vector3d C)
{
    public Tri Flipped => new(A, C, B);
    public Tri Offset(double x, double y, double z) =>
        new(new(A.X + x, A.Y + y, A.Z + z), new(B.X + x, B.Y + y, B.Z + z), new(C.X + x, C.Y + y, C.Z + z));
}

/// <summary>Closed test solids with outward faces, and their exact volumes computed independently of the library.</summary>
public static class Shapes
{
    public static List<Tri> Box(double sx, double sy, double sz, double ox = 0, double oy = 0, double oz = 0)
    {
        Vector3d P(int i, int j, int k) => new(ox + i * sx, oy + j * sy, oz + k * sz);
        var tris = new List<Tri>();
        void Quad(Vector3d a, Vector3d b, Vector3d c, Vector3d d) { tris.Add(new(a, b, c)); tris.Add(new(a, c, d)); }
        Quad(P(0, 0, 0), P(0, 1, 0), P(1, 1, 0), P(1, 0, 0)); // bottom, normal -Z
        Quad(P(0, 0, 1), P(1, 0, 1), P(1, 1, 1), P(0, 1, 1)); // top, +Z
        Quad(P(0, 0, 0), P(1, 0, 0), P(1, 0, 1), P(0, 0, 1)); // front, -Y
        Quad(P(0, 1, 0), P(0, 1, 1), P(1, 1, 1), P(1, 1, 0)); // back, +Y
        Quad(P(0, 0, 0), P(0, 0, 1), P(0, 1, 1), P(0, 1, 0)); // left, -X
        Quad(P(1, 0, 0), P(1, 1, 0), P(1, 1, 1), P(1, 0, 1)); // right, +X
        return tris;
    }

    public static List<Tri> Cube(double size = 10, double ox = 0, double oy = 0, double oz = 0) => Box(size, size, size, ox, oy, oz);

    /// <summary>Right tetrahedron on the axes with legs a: volume a³/6.</summary>
    public static List<Tri> Tetrahedron(double a = 10)
    {
        Vector3d o = new(0, 0, 0), x = new(a, 0, 0), y = new(0, a, 0), z = new(0, 0, a);
        return [new(o, y, x), new(o, x, z), new(o, z, y), new(x, y, z)];
    }

    /// <summary>Regular octahedron with vertices at distance r on the axes: volume 4r³/3.</summary>
    public static List<Tri> Octahedron(double r = 10)
    {
        Vector3d[] axes = [new(r, 0, 0), new(0, r, 0), new(-r, 0, 0), new(0, -r, 0)];
        Vector3d top = new(0, 0, r), bottom = new(0, 0, -r);
        var tris = new List<Tri>();
        for (int i = 0; i < 4; i++)
        {
            var a = axes[i];
            var b = axes[(i + 1) % 4];
            tris.Add(new(a, b, top));
            tris.Add(new(b, a, bottom));
        }
        return tris;
    }

    /// <summary>Prism over a regular n-gon of circumradius r: volume = n/2·r²·sin(2π/n)·h.</summary>
    public static List<Tri> Cylinder(double r, double h, int n)
    {
        var tris = new List<Tri>();
        Vector3d Rim(int i, double z) => new(r * Math.Cos(2 * Math.PI * i / n), r * Math.Sin(2 * Math.PI * i / n), z);
        Vector3d bottom = new(0, 0, 0), top = new(0, 0, h);
        for (int i = 0; i < n; i++)
        {
            var b0 = Rim(i, 0); var b1 = Rim(i + 1 == n ? 0 : i + 1, 0);
            var t0 = Rim(i, h); var t1 = Rim(i + 1 == n ? 0 : i + 1, h);
            tris.Add(new(bottom, b1, b0));
            tris.Add(new(top, t0, t1));
            tris.Add(new(b0, b1, t1));
            tris.Add(new(b0, t1, t0));
        }
        return tris;
    }

    public static double CylinderVolume(double r, double h, int n) => n / 2.0 * r * r * Math.Sin(2 * Math.PI / n) * h;

    /// <summary>UV sphere: <paramref name="stacks"/> latitude bands, <paramref name="slices"/> longitudes, poles shared.</summary>
    public static List<Tri> Sphere(double r, int stacks, int slices)
    {
        Vector3d At(int i, int j)
        {
            if (i == 0) return new(0, 0, r);
            if (i == stacks) return new(0, 0, -r);
            double theta = Math.PI * i / stacks, phi = 2 * Math.PI * (j % slices) / slices;
            return new(r * Math.Sin(theta) * Math.Cos(phi), r * Math.Sin(theta) * Math.Sin(phi), r * Math.Cos(theta));
        }
        var tris = new List<Tri>();
        for (int i = 0; i < stacks; i++)
            for (int j = 0; j < slices; j++)
            {
                Vector3d a = At(i, j), b = At(i + 1, j), c = At(i + 1, j + 1), d = At(i, j + 1);
                if (i != 0) tris.Add(new(a, b, d));
                if (i != stacks - 1) tris.Add(new(b, c, d));
            }
        return tris;
    }

    /// <summary>
    /// Exact volume of the UV sphere polyhedron, computed independently: each band between two latitude rings is
    /// split into tetrahedra from the centre, evaluated with a determinant in higher-precision decimal arithmetic.
    /// </summary>
    public static double PolyhedronVolumeReference(IEnumerable<Tri> tris)
    {
        // Decimal (28 digits) sum of det/6 about the origin: different arithmetic from the library's double sum.
        decimal sum = 0;
        foreach (var t in tris)
        {
            decimal ax = (decimal)t.A.X, ay = (decimal)t.A.Y, az = (decimal)t.A.Z;
            decimal bx = (decimal)t.B.X, by = (decimal)t.B.Y, bz = (decimal)t.B.Z;
            decimal cx = (decimal)t.C.X, cy = (decimal)t.C.Y, cz = (decimal)t.C.Z;
            sum += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
        }
        return (double)(sum / 6);
    }

    public static List<Tri> Translate(IEnumerable<Tri> tris, double x, double y, double z) => tris.Select(t => t.Offset(x, y, z)).ToList();
}
