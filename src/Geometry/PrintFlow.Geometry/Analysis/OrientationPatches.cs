using System.Runtime.CompilerServices;
namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Splits the faces into patches connected through manifold edges and, by breadth-first search from each patch's
/// first face, gives every face a sign (+1 keep, -1 flip) so that each interior edge is traversed in opposite
/// directions by its two faces. A patch whose edges are all shared by exactly two faces is closed.
/// </summary>
internal sealed class OrientationPatches
{
    /// <summary>Patch of each triangle; -1 for collapsed triangles (they have no edges and no area).</summary>
    public int[] PatchOf { get; }
    /// <summary>+1 or -1 per triangle: the flip that makes its patch consistently oriented.</summary>
    public sbyte[] Sign { get; }
    public int PatchCount { get; }
    public bool[] Closed { get; }
    /// <summary>Patches that cannot be oriented at all (a Möbius strip); their faces keep the first sign found.</summary>
    public int NonOrientablePatches { get; }

    private OrientationPatches(int[] patchOf, sbyte[] sign, int count, bool[] closed, int nonOrientable)
    {
        PatchOf = patchOf;
        Sign = sign;
        PatchCount = count;
        Closed = closed;
        NonOrientablePatches = nonOrientable;
    }

    /// <summary>One closed, consistently oriented patch: the whole mesh (no per-face arrays needed).</summary>
    public static OrientationPatches Whole() => new([], [], 1, [true], 0);

    /// <summary>
    /// Fast path for a watertight mesh whose shared edges are all traversed oppositely: no face needs flipping and the
    /// patches are the shells, so the breadth-first search is skipped.
    /// </summary>
    public static OrientationPatches FromShells(ReadOnlySpan<int> indices, int shellCount, int[] shellOfVertex)
    {
        int triangles = indices.Length / 3;
        var patchOf = new int[triangles];
        var sign = new sbyte[triangles];
        sign.AsSpan().Fill(1);
        for (int t = 0; t < triangles; t++)
        {
            int a = indices[3 * t], b = indices[3 * t + 1], c = indices[3 * t + 2];
            patchOf[t] = a == b || b == c || a == c ? -1 : shellOfVertex[a];
        }
        var closed = new bool[shellCount];
        closed.AsSpan().Fill(true);
        return new OrientationPatches(patchOf, sign, shellCount, closed, 0);
    }

    public OrientationPatches(ReadOnlySpan<int> indices, int[] partner)
    {
        int triangles = indices.Length / 3;
        var patchOf = new int[triangles];
        var sign = new sbyte[triangles];
        Array.Fill(patchOf, -1);
        var queue = new int[Math.Max(1, triangles)];
        var closed = new List<bool>();
        int patches = 0, nonOrientable = 0;
        for (int seed = 0; seed < triangles; seed++)
        {
            if (patchOf[seed] >= 0) continue;
            int a = indices[3 * seed], b = indices[3 * seed + 1], c = indices[3 * seed + 2];
            if (a == b || b == c || a == c) continue;
            int patch = patches++;
            bool isClosed = true, conflict = false;
            patchOf[seed] = patch;
            sign[seed] = 1;
            int head = 0, tail = 0;
            queue[tail++] = seed;
            while (head < tail)
            {
                int t = queue[head++];
                for (int k = 0; k < 3; k++)
                {
                    int he = 3 * t + k;
                    int other = partner[he];
                    if (other < 0) { isClosed = false; continue; }
                    int u = other / 3;
                    // Opposite traversal (consistent) when this edge's start is the partner's end.
                    int partnerEnd = indices[other - other % 3 + (other % 3 + 1) % 3];
                    bool opposite = indices[he] == partnerEnd;
                    sbyte wanted = opposite ? sign[t] : (sbyte)-sign[t];
                    if (patchOf[u] < 0)
                    {
                        patchOf[u] = patch;
                        sign[u] = wanted;
                        queue[tail++] = u;
                    }
                    else if (sign[u] != wanted) conflict = true;
                }
            }
            closed.Add(isClosed);
            if (conflict) nonOrientable++;
        }
        PatchOf = patchOf;
        Sign = sign;
        PatchCount = patches;
        Closed = [.. closed];
        NonOrientablePatches = nonOrientable;
    }
}
