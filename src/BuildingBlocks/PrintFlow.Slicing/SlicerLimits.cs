namespace PrintFlow.Slicing;

/// <summary>How a slicer process is found and bounded; each service binds it from its own options section.</summary>
/// <param name="ExecutablePath">PrusaSlicer: a name looked up on PATH, or a full path.</param>
/// <param name="PrlimitPath">util-linux's prlimit, which applies the memory limit before the slicer starts.</param>
/// <param name="Timeout">A slice taking longer is abandoned and its process tree killed.</param>
/// <param name="MemoryLimitMiB">Address space the slicer may reserve (RLIMIT_AS).</param>
/// <param name="WorkRoot">Where each slice's private directory is made; null is the system temporary directory.</param>
public sealed record SlicerLimits(string ExecutablePath, string PrlimitPath, TimeSpan Timeout, int MemoryLimitMiB, string? WorkRoot);

/// <summary>What to slice: meshes in millimetres (each repeated <see cref="SliceModel.Copies"/> times) and the profile text.</summary>
/// <param name="Settings">Settings put in place of the profile's (a printer's bed_shape, max_print_height, nozzle_diameter).</param>
/// <param name="Merge">Several models are arranged on one bed by PrusaSlicer (<c>--merge</c>) and sliced as one print.</param>
public sealed record SliceRequest(IReadOnlyList<SliceModel> Models, string Profile, IReadOnlyDictionary<string, string>? Settings = null, bool Merge = false);

public sealed record SliceModel(PrintFlow.Geometry.Mesh Mesh, int Copies = 1);
