using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// Exact mode: slices the model with the PrusaSlicer CLI and reads material and time from the G-code.
/// Seconds instead of microseconds, so it is an option, not the default.
/// </summary>
public sealed class ExactSlicer(ExactSlicerOptions options)
{
    private const string ProfileResource = "PrintFlow.Pricing.Core.Slicer.mk3s-020.ini";
    private static readonly Lazy<string> BuiltInProfile = new(ExtractBuiltInProfile);

    /// <summary>The arguments used for a slice; docs/pricing-calibration.md uses the same ones.</summary>
    public static IReadOnlyList<string> Arguments(string profilePath, string modelPath, string gcodePath, double scale)
    {
        var args = new List<string> { "--export-gcode", "--loglevel", "1", "--load", profilePath };
        if (scale != 1) args.AddRange(["--scale", scale.ToString("R", CultureInfo.InvariantCulture)]);
        args.AddRange(["--output", gcodePath, modelPath]);
        return args;
    }

    /// <param name="scale">Factor to millimetres for files drawn in other units (25.4 for inches).</param>
    public async Task<SliceResult> SliceAsync(string modelPath, double scale = 1, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException("The model file does not exist.", modelPath);
        var executable = Executable();
        var workDir = Directory.CreateTempSubdirectory("printflow-slice-");
        try
        {
            return await SliceInAsync(workDir, executable, Path.GetFullPath(modelPath), scale, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteQuietly(workDir);
        }
    }

    /// <summary>
    /// Slices a model held as a stream (e.g. from the content-addressed store). PrusaSlicer only reads files and
    /// tells formats apart by extension, so the stream is copied to a temporary file named like <paramref name="fileName"/>.
    /// </summary>
    public async Task<SliceResult> SliceAsync(Stream model, string fileName, double scale = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var executable = Executable();
        var workDir = Directory.CreateTempSubdirectory("printflow-slice-");
        try
        {
            var extension = Path.GetExtension(fileName);
            var modelPath = Path.Combine(workDir.FullName, "model" + (extension.Length is > 1 and <= 5 ? extension.ToLowerInvariant() : ".stl"));
            await using (var file = File.Create(modelPath))
                await model.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            return await SliceInAsync(workDir, executable, modelPath, scale, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            DeleteQuietly(workDir);
        }
    }

    private string Executable() => ResolveExecutable(options.ExecutablePath)
        ?? throw new SlicerException(SlicerException.NotInstalled,
            $"Exact pricing needs PrusaSlicer, but '{options.ExecutablePath}' was not found; install it (apt-get install prusa-slicer) or set Pricing:ExactSlicer:ExecutablePath.");

    private async Task<SliceResult> SliceInAsync(DirectoryInfo workDir, string executable, string modelPath, double scale, CancellationToken cancellationToken)
    {
        var profile = options.ProfilePath ?? BuiltInProfile.Value;
        var gcode = Path.Combine(workDir.FullName, "model.gcode");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir.FullName,
        };
        foreach (var a in Arguments(profile, modelPath, gcode, scale)) start.ArgumentList.Add(a);

        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (Win32Exception e)
        {
            throw new SlicerException(SlicerException.NotInstalled, $"PrusaSlicer at '{executable}' could not be started: {e.Message}.");
        }

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
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new SlicerException(SlicerException.Timeout,
                $"PrusaSlicer did not finish within {options.Timeout.TotalSeconds:0} s and was stopped; the model may be too complex for exact pricing, use the estimate instead.");
        }
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);

        if (process.ExitCode != 0 || !File.Exists(gcode))
            throw new SlicerException(SlicerException.Failed,
                $"PrusaSlicer could not slice the model (exit code {process.ExitCode}): {LastMeaningfulLine(output)}");
        return GcodeStatistics.ReadFile(gcode);
    }

    private static void DeleteQuietly(DirectoryInfo dir)
    {
        try { dir.Delete(recursive: true); }
        catch (IOException) { /* a killed slicer may still hold a file for a moment; the OS cleans temp */ }
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

    private static void KillTree(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* it exited between the timeout and the kill */ }
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

    private static string ExtractBuiltInProfile()
    {
        using var resource = typeof(ExactSlicer).Assembly.GetManifestResourceStream(ProfileResource)
            ?? throw new InvalidOperationException($"The built-in profile {ProfileResource} is missing from the assembly.");
        using var memory = new MemoryStream();
        resource.CopyTo(memory);
        // Named by content hash so processes running different builds never share a stale profile.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(memory.ToArray()))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"printflow-mk3s-020-{hash}.ini");
        if (!File.Exists(path))
        {
            var partial = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(partial, memory.ToArray());
            File.Move(partial, path, overwrite: true);
        }
        return path;
    }
}
