using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using PrintFlow.Geometry;
using PrintFlow.Geometry.Stl;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// Exact mode: slices the model with the PrusaSlicer CLI and reads material and time from the G-code.
/// Seconds instead of microseconds, so it is an option, not the default.
/// </summary>
/// <remarks>
/// The slicer never sees a customer's file: it gets a binary STL written from the parsed mesh (a 3MF's packed
/// configuration would otherwise be applied, post_process scripts included), a profile with every hook emptied
/// (<see cref="SlicerProfile"/>), a private 0700 directory per slice that is removed afterwards, a minimal environment,
/// a time limit and an address-space limit.
/// </remarks>
public sealed class ExactSlicer(ExactSlicerOptions options)
{
    private const string ProfileResource = "PrintFlow.Pricing.Core.Slicer.mk3s-020.ini";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly Lazy<string> BuiltInProfile = new(() => SlicerProfile.Compose(ReadBuiltInProfile()));

    /// <summary>The arguments used for a slice; docs/pricing-calibration.md uses the same ones.</summary>
    public static IReadOnlyList<string> Arguments(string profilePath, string modelPath, string gcodePath, string dataDir) =>
        ["--export-gcode", "--loglevel", "1", "--datadir", dataDir, "--load", profilePath, "--output", gcodePath, modelPath];

    /// <summary>The profile text a slice runs with (the configured or built-in one, hooks emptied).</summary>
    public string Profile() => options.ProfilePath is { } path ? SlicerProfile.Compose(File.ReadAllText(path)) : BuiltInProfile.Value;

    /// <summary>Slices a parsed mesh (millimetres; read it with the customer's units already applied).</summary>
    public async Task<SliceResult> SliceAsync(Mesh mesh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (OperatingSystem.IsWindows())
            throw new SlicerException(SlicerException.NotInstalled, "Exact pricing runs PrusaSlicer on Linux or macOS only; use the estimate.");
        var executable = Executable(options.ExecutablePath,
            $"Exact pricing needs PrusaSlicer, but '{options.ExecutablePath}' was not found; install it (apt-get install prusa-slicer) or set Pricing:ExactSlicer:ExecutablePath.");
        var prlimit = Executable(options.PrlimitPath,
            $"Exact pricing limits PrusaSlicer's memory with prlimit (util-linux), but '{options.PrlimitPath}' was not found; install util-linux or set Pricing:ExactSlicer:PrlimitPath.");
        var profile = Profile();
        var job = CreatePrivateDirectory(options.WorkRoot ?? Path.GetTempPath());
        try
        {
            var profilePath = Path.Combine(job, "profile.ini");
            var modelPath = Path.Combine(job, "model.stl");
            await File.WriteAllTextAsync(profilePath, profile, cancellationToken).ConfigureAwait(false);
            await using (var file = new FileStream(modelPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                BinaryStlWriter.Write(mesh, file);
            return await RunAsync(job, prlimit, executable, profilePath, modelPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteQuietly(job);
        }
    }

    private static string Executable(string path, string missing) => ResolveExecutable(path) ?? throw new SlicerException(SlicerException.NotInstalled, missing);

    /// <summary>A fresh directory only this user can enter, under a name nobody can guess, so no other process can plant or read files in it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string CreatePrivateDirectory(string root)
    {
        var path = Path.Combine(Path.GetFullPath(root), "printflow-slice-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        if (Directory.Exists(path) || File.Exists(path))
            throw new SlicerException(SlicerException.Failed, "The slicer's private directory name was already taken; try again.");
        var dir = Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly); // the umask may have removed bits; never more than the owner's
        dir.Refresh();
        if (dir.LinkTarget is not null || dir.UnixFileMode != OwnerOnly)
            throw new SlicerException(SlicerException.Failed, "The slicer's private directory could not be made private; exact pricing was not attempted.");
        return path;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<SliceResult> RunAsync(string job, string prlimit, string executable, string profilePath, string modelPath, CancellationToken cancellationToken)
    {
        var gcode = Path.Combine(job, "model.gcode");
        var start = new ProcessStartInfo(prlimit)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = job,
        };
        // prlimit sets the limits on itself and then executes the slicer, which keeps its process id and the limits.
        start.ArgumentList.Add($"--as={(long)options.MemoryLimitMiB << 20}");
        start.ArgumentList.Add("--core=0");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(executable);
        foreach (var a in Arguments(profilePath, modelPath, gcode, Path.Combine(job, "datadir"))) start.ArgumentList.Add(a);
        // The service's environment holds connection strings and keys; the slicer gets none of it, and a home inside the job.
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } p ? p : "/usr/local/bin:/usr/bin:/bin";
        start.Environment.Clear();
        start.Environment["PATH"] = path;
        start.Environment["LC_ALL"] = "C";
        foreach (var variable in (string[])["HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"])
            start.Environment[variable] = job;

        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (Win32Exception e)
        {
            throw new SlicerException(SlicerException.NotInstalled, $"PrusaSlicer at '{executable}' could not be started: {e.Message}.");
        }

        // Slicing takes seconds of every core; instant quotes (milliseconds) must keep winning the CPU. Set at once,
        // before PrusaSlicer starts its worker threads, which inherit the main thread's priority on Linux.
        try { process.PriorityClass = ProcessPriorityClass.BelowNormal; }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException) { /* not permitted or already exited: run as is */ }

        // Both pipes are drained concurrently: a slicer blocked on a full stderr pipe would look like a hang.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillTreeAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new SlicerException(SlicerException.Timeout,
                $"PrusaSlicer did not finish within {options.Timeout.TotalSeconds:0.###} s and was stopped; the model may be too complex for exact pricing, use the estimate instead.");
        }
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);

        if (process.ExitCode != 0 || !File.Exists(gcode))
        {
            if (RanOutOfMemory(output))
                throw new SlicerException(SlicerException.MemoryLimit,
                    $"PrusaSlicer needed more than the {options.MemoryLimitMiB} MiB of memory it may use and was stopped; the model is too complex for exact pricing, use the estimate instead.");
            throw new SlicerException(SlicerException.Failed,
                $"PrusaSlicer could not slice the model (exit code {process.ExitCode}): {LastMeaningfulLine(output)}");
        }
        return GcodeStatistics.ReadFile(gcode);
    }

    // How PrusaSlicer 2.5 dies at the address-space limit: a failed allocation, library mapping or thread stack.
    private static readonly string[] OutOfMemorySigns =
        ["bad_alloc", "Cannot allocate memory", "out of memory", "failed to map segment", "Resource temporarily unavailable"];

    private static bool RanOutOfMemory(string output) => OutOfMemorySigns.Any(sign => output.Contains(sign, StringComparison.OrdinalIgnoreCase));

    private static void DeleteQuietly(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the slicer was waited for, so nothing should hold it; the OS cleans temp */ }
    }

    /// <summary>A slice as the estimate the quoter prices: grams in the quoted material, billed machine time.</summary>
    public static PrintEstimate ToEstimate(SliceResult slice, MeshAnalysis mesh, MaterialOptions material, PrinterOptions printer)
    {
        if (printer.Technology != PrintTechnology.Fdm || printer.Fdm is null)
            throw new SlicerException(SlicerException.UnsupportedTechnology, "Exact pricing is available for FDM materials only; resin parts are priced by the estimate.");
        var layers = (int)Math.Ceiling(mesh.BoundingBoxMm.Size.Z / printer.Fdm.LayerHeightMm - 1e-9);
        return new PrintEstimate(slice.FilamentCm3 * material.DensityGPerCm3, slice.PrintHours,
            slice.PrintHours + printer.Fdm.HeatUpMinutes / 60,
            PrintEstimator.PrintedSupportMm3(mesh, printer.Fdm) / 1000, layers, PrintEstimate.ExactMode);
    }

    /// <summary>Kills the slicer and its children, then waits for it, so nothing writes into the job directory being removed.</summary>
    private static async Task KillTreeAsync(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* it exited between the timeout and the kill */ }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await process.WaitForExitAsync(grace.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { /* SIGKILL cannot be ignored; a process stuck in the kernel goes when it returns */ }
    }

    private static string? ResolveExecutable(string path)
    {
        if (path.Contains(Path.DirectorySeparatorChar) || path.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(path) ? path : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, path);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string LastMeaningfulLine(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => !l.Contains("[trace]") && !l.Contains("[debug]") && !l.Contains("[info]"));
        return string.IsNullOrEmpty(line) ? "no message." : line.Length > 300 ? line[..300] + "…" : line;
    }

    private static string ReadBuiltInProfile()
    {
        using var resource = typeof(ExactSlicer).Assembly.GetManifestResourceStream(ProfileResource)
            ?? throw new InvalidOperationException($"The built-in profile {ProfileResource} is missing from the assembly.");
        using var reader = new StreamReader(resource);
        return reader.ReadToEnd();
    }
}
