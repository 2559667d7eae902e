using System.Runtime.CompilerServices;
using PrintFlow.Geometry.Memory;
namespace PrintFlow.Geometry.Analysis;

/// <summary>Counts shells: sets of triangles connected through shared (welded) vertices.</summary>
internal static class UnionFind
{
    /// <summary>
    /// Number of shells, and for each vertex the 0-based shell it belongs to (-1 if unused). The label array is rented
    /// (it may be longer than <paramref name="vertexCount"/>); the caller returns it with LargeArrays.Return.
    /// </summary>
    public static (int Count, int[] ShellOfVertex) Shells(ReadOnlySpan<int> indices, int vertexCount)
    {
        var parent = LargeArrays.Rent<int>(vertexCount);
        for (int i = 0; i < vertexCount; i++) parent[i] = i;
        for (int t = 0; t < indices.Length; t += 3)
        {
            Union(parent, indices[t], indices[t + 1]);
            Union(parent, indices[t], indices[t + 2]);
        }
        // Every vertex of a reader-built mesh belongs to a triangle, but Mesh.Create may carry unused ones.
        var used = LargeArrays.Rent<bool>(vertexCount, zeroed: true);
        foreach (int v in indices) used[v] = true;
        // Roots get consecutive labels in index order.
        int shells = 0;
        var label = LargeArrays.Rent<int>(vertexCount);
        for (int v = 0; v < vertexCount; v++)
        {
            if (!used[v]) { label[v] = -1; continue; }
            int root = Find(parent, v);
            label[v] = root == v ? shells++ : label[root]; // root <= v: roots are the smallest index of their set
        }
        LargeArrays.Return(parent);
        LargeArrays.Return(used);
        return (shells, label);
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]]; // path halving keeps trees flat without recursion
            x = parent[x];
        }
        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a == b) return;
        // Link the larger index under the smaller: deterministic and, with path halving, near-linear in practice.
        if (a < b) parent[b] = a; else parent[a] = b;
    }
}
