using System.Runtime.CompilerServices;
using PrintFlow.Geometry.Analysis;
using PrintFlow.Geometry.Memory;

namespace PrintFlow.Geometry;

public static class MeshAnalyzer
{
    // Below ~100k triangles the analysis takes a few milliseconds: a second thread costs more than it saves.
    private const int ParallelFromIndices = 300_000;

    /// <summary>
    /// Measures a mesh: volume, area, bounding box, shells, watertightness, orientation, degenerate faces,
    /// overhangs and an estimate of support, fit in the build volume, and overlapping shells.
    /// </summary>
    public static MeshAnalysis Analyze(Mesh mesh, AnalysisOptions? options = null) => Analyze(mesh, options, Deadline.None);

    // Each pass is linear in the triangles (shell nesting has its own work budget), so checking between passes bounds
    // an overrun to one pass: well under a second at the largest mesh a reader accepts.
    internal static MeshAnalysis Analyze(Mesh mesh, AnalysisOptions? options, Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        deadline.Check();
        options ??= new AnalysisOptions();
        var p = mesh.Positions;
        var indices = mesh.Indices;
        var warnings = new List<ModelWarning>(mesh.Warnings);

        bool parallel = options.MaxDegreeOfParallelism > 1 && Environment.ProcessorCount > 1;
        var box = mesh.Bounds;
        var positions = mesh.PositionArray;
        var indexArray = mesh.IndexArray;
        int vertices = mesh.VertexCount, length = indices.Length;
        double angle = options.OverhangAngleDegrees;
        EdgeTopology topology;
        GeometryPass? whole = null;
        (int Count, int[] ShellOfVertex) shellsOfVertex;
        if (parallel && length >= ParallelFromIndices)
        {
            // The edges on one core; the whole-mesh sums and the shells, about as much work, on the other. The sums
            // assume every face is kept as it is, which holds for the common case (closed and consistent); otherwise
            // they are redone per orientation patch below.
            EdgeTopology? edges = null;
            (int, int[]) found = (0, []);
            Parallel.Invoke(
                () => edges = new EdgeTopology(indexArray, length, vertices, withPartner: false, parallel: false),
                () =>
                {
                    whole = GeometryPass.Run(positions.AsSpan(0, vertices * 3), indexArray.AsSpan(0, length), box, null, angle, options.LandedSupport);
                    found = UnionFind.Shells(indexArray.AsSpan(0, length), vertices);
                });
            topology = edges!;
            shellsOfVertex = found;
        }
        else
        {
            topology = new EdgeTopology(indexArray, indices.Length, vertices, withPartner: false, parallel: false);
            shellsOfVertex = UnionFind.Shells(indices, vertices);
        }
        deadline.Check();
        bool watertight = indices.Length > 0 && topology.BoundaryEdges == 0 && topology.NonManifoldEdges == 0;
        int shells = shellsOfVertex.Count;
        OrientationPatches patches;
        GeometryPass sums;
        if (watertight && topology.InconsistentEdges == 0)
        {
            // Nothing to flip: one patch per shell. Only a multi-shell model needs a per-shell pass (for cavities and
            // overlaps).
            if (shells == 1)
            {
                patches = OrientationPatches.Whole();
                sums = whole ?? GeometryPass.Run(p, indices, box, null, angle, options.LandedSupport);
            }
            else
            {
                patches = OrientationPatches.FromShells(indices, shells, shellsOfVertex.ShellOfVertex);
                sums = GeometryPass.Run(p, indices, box, patches, angle, options.LandedSupport);
            }
        }
        else
        {
            // Flipping faces needs each half-edge's partner: a second, rarer pass that records them.
            using var withPartners = new EdgeTopology(indexArray, indices.Length, vertices, withPartner: true, parallel);
            patches = new OrientationPatches(indices, withPartners.Partner!);
            sums = GeometryPass.Run(p, indices, box, patches, angle, options.LandedSupport);
        }
        LargeArrays.Return(shellsOfVertex.ShellOfVertex);
        deadline.Check();

        // Nesting decides cavities vs overlapping parts; only needed when there is more than one patch.
        int n = patches.PatchCount;
        int[] depth = new int[n];
        if (n > 1)
        {
            var nesting = new ShellNesting(p, indices, patches, GeometryPass.PatchBoxes(p, indices, patches),
                workBudget: 8L * indices.Length + 1_000_000, deadline);
            depth = nesting.Depth;
            if (nesting.Intersecting.Count > 0)
                warnings.Add(new ModelWarning("model.shells-intersect",
                    $"{nesting.Intersecting.Count} pair(s) of shells cross each other; the volume counts the shared part twice."));
            if (nesting.Partial)
                warnings.Add(new ModelWarning("analysis.overlap-check-partial",
                    "The model has too many shells to check all of them for overlap; the overlap check was cut short."));
        }

        double volumeFixed = 0, overhang = 0, support = 0;
        int solidInsideSolid = 0;
        for (int c = 0; c < n; c++)
        {
            // A shell inside an odd number of others whose faces point inwards is a cavity (a hollowed part):
            // it keeps a negative volume. Every other shell is turned outwards so its volume is positive.
            bool cavity = (depth[c] & 1) == 1 && sums.RawPatchVolume6[c] < 0;
            int fix = sums.PatchVolume6[c] >= 0 ? 1 : -1;
            if (cavity) fix = -fix;
            else if ((depth[c] & 1) == 1) solidInsideSolid++;
            volumeFixed += fix * sums.PatchVolume6[c] / 6;
            overhang += fix > 0 ? sums.OverhangKeep[c] : sums.OverhangFlip[c];
            support += fix > 0 ? sums.SupportKeep[c] : sums.SupportFlip[c];
        }
        if (solidInsideSolid > 0)
            warnings.Add(new ModelWarning("model.shells-overlap",
                $"{solidInsideSolid} shell(s) lie inside another shell and both are solid; their volume is counted twice, so material is overestimated."));

        bool consistent = topology.InconsistentEdges == 0 && patches.NonOrientablePatches == 0;
        if (!watertight)
            warnings.Add(new ModelWarning("model.not-watertight",
                $"The surface is not closed ({topology.BoundaryEdges:N0} open edges, {topology.NonManifoldEdges:N0} edges shared by more than two faces); the volume is an estimate."));
        if (!consistent)
            warnings.Add(new ModelWarning("model.inconsistent-orientation",
                $"{topology.InconsistentEdges:N0} edges join faces that point opposite ways; the volume was recomputed after turning them consistently."));
        long degenerate = sums.Degenerate;
        if (degenerate > 0)
            warnings.Add(new ModelWarning("model.degenerate-triangles", $"{degenerate:N0} triangles have no area."));

        bool? fits = null;
        string? orientation = null;
        if (options.BuildVolumeMm is { } build)
        {
            (fits, orientation) = BuildVolumeFit.Check(box.Size, build);
            if (fits == false)
                warnings.Add(new ModelWarning("model.does-not-fit",
                    $"The model ({box.Size.X:F1} × {box.Size.Y:F1} × {box.Size.Z:F1} mm) does not fit the build volume ({build.X:F0} × {build.Y:F0} × {build.Z:F0} mm) in any axis-aligned orientation."));
        }

        return new MeshAnalysis(mesh.Format, mesh.TriangleCount, sums.RawVolume6 / 6, sums.Area, box, shells, watertight,
            topology.NonManifoldEdges, consistent, volumeFixed, degenerate, overhang, support, fits, orientation, warnings)
        {
            SideAreaMm2 = sums.SideArea,
            FlatAreaMm2 = sums.FlatArea,
            BedContactAreaMm2 = sums.BedArea,
            Profile = sums.Profile,
        };
    }
}
