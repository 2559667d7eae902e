using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PrintFlow.Geometry.Stl;

namespace PrintFlow.Slicing;

/// <summary>
/// Runs the PrusaSlicer CLI on parsed meshes. The slicer never sees a customer's file: it gets binary STLs written from
/// the parsed meshes (a 3MF's packed configuration would otherwise be applied, post_process scripts included), a
/// profile with every hook emptied (<see cref="SlicerProfile"/>), a private 0700 directory per slice that is removed
/// afterwards, a minimal environment, a time limit and an address-space limit (docs/security.md).
/// </summary>
public static class PrusaSlicer
{
    private const string ProfileResource = "PrintFlow.Slicing.mk3s-020.ini";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly Lazy<string> BuiltIn = new(ReadBuiltInProfile);

    /// <summary>The repository's MK3S 0.20 mm PLA profile (mk3s-020.ini), before hooks are emptied.</summary>
    public static string BuiltInProfile => BuiltIn.Value;

    /// <summary>The arguments used for a slice; docs/pricing-calibration.md uses the same ones for one model.</summary>
    public static IReadOnlyList<string> Arguments(string profilePath, IReadOnlyList<string> modelPaths, string gcodePath, string dataDir, bool merge)
    {
        ArgumentNullException.ThrowIfNull(modelPaths);
        List<string> arguments = ["--export-gcode", "--loglevel", "1", "--datadir", dataDir, "--load", profilePath, "--output", gcodePath];
        if (merge)
        {
            arguments.Add("--merge"); // arranges the models on the bed, then slices them as one print
        }

        arguments.AddRange(modelPaths);
        return arguments;
    }

    /// <summary>Whether the slicer and prlimit can be found, without starting either.</summary>
    public static bool IsInstalled(SlicerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return !OperatingSystem.IsWindows() && ResolveExecutable(limits.ExecutablePath) is not null && ResolveExecutable(limits.PrlimitPath) is not null;
    }

    /// <summary>
    /// Slices the request's meshes with its profile (hooks emptied here) and reads the figures from the G-code;
    /// <paramref name="readGcode"/>, if given, gets the G-code file's path before the private directory is removed.
    /// </summary>
    /// <exception cref="SlicerException">Not installed, timed out, out of memory or refused by the slicer.</exception>
    public static async Task<SliceResult> SliceAsync(
        SliceRequest request, SlicerLimits limits, Func<string, CancellationToken, Task>? readGcode = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        if (request.Models.Count == 0 || request.Models.Any(m => m.Copies < 1))
        {
            throw new ArgumentException("A slice needs at least one model, each at least once.", nameof(request));
        }

        if (OperatingSystem.IsWindows())
        {
            throw new SlicerException(SlicerException.NotInstalled, "PrusaSlicer is run on Linux or macOS only.", "unix-only");
        }

        var executable = Executable(limits.ExecutablePath, "slicer-missing",
            $"PrusaSlicer was not found at '{limits.ExecutablePath}'; install it (apt-get install prusa-slicer) or set the slicer's ExecutablePath.");
        var prlimit = Executable(limits.PrlimitPath, "prlimit-missing",
            $"prlimit (util-linux), which limits PrusaSlicer's memory, was not found at '{limits.PrlimitPath}'; install util-linux or set the slicer's PrlimitPath.");
        var job = CreatePrivateDirectory(limits.WorkRoot ?? Path.GetTempPath());
        try
        {
            var profilePath = Path.Combine(job, "profile.ini");
            await File.WriteAllTextAsync(profilePath, SlicerProfile.Compose(request.Profile, request.Settings ?? new Dictionary<string, string>()), cancellationToken).ConfigureAwait(false);
            var modelPaths = new List<string>();
            for (var i = 0; i < request.Models.Count; i++)
            {
                var modelPath = Path.Combine(job, request.Models.Count == 1 ? "model.stl" : $"model-{i}.stl");
                await using (var file = new FileStream(modelPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    BinaryStlWriter.Write(request.Models[i].Mesh, file);
                }

                modelPaths.AddRange(Enumerable.Repeat(modelPath, request.Models[i].Copies));
            }

            var gcode = Path.Combine(job, "model.gcode");
            var arguments = Arguments(profilePath, modelPaths, gcode, Path.Combine(job, "datadir"), request.Merge || modelPaths.Count > 1);
            await RunAsync(job, prlimit, executable, arguments, limits, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(gcode))
            {
                throw new SlicerException(SlicerException.Failed, "PrusaSlicer finished without writing G-code.", "no-gcode");
            }

            var result = GcodeStatistics.ReadFile(gcode);
            if (readGcode is not null)
            {
                await readGcode(gcode, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            DeleteQuietly(job);
        }
    }

    private static string Executable(string path, string reason, string missing) =>
        ResolveExecutable(path) ?? throw new SlicerException(SlicerException.NotInstalled, missing, reason, path);

    /// <summary>A fresh directory only this user can enter, under a name nobody can guess, so no other process can plant or read files in it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string CreatePrivateDirectory(string root)
    {
        var path = Path.Combine(Path.GetFullPath(root), "printflow-slice-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        if (Directory.Exists(path) || File.Exists(path))
        {
            throw new SlicerException(SlicerException.Failed, "The slicer's private directory name was already taken; try again.", "directory-taken");
        }

        var dir = Directory.CreateDirectory(path, OwnerOnly);
        File.SetUnixFileMode(path, OwnerOnly); // the umask may have removed bits; never more than the owner's
        dir.Refresh();
        if (dir.LinkTarget is not null || dir.UnixFileMode != OwnerOnly)
        {
            throw new SlicerException(SlicerException.Failed, "The slicer's private directory could not be made private; nothing was sliced.", "directory-not-private");
        }

        return path;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task RunAsync(string job, string prlimit, string executable, IReadOnlyList<string> arguments, SlicerLimits limits, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(prlimit)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = job,
        };
        // prlimit sets the limits on itself and then executes the slicer, which keeps its process id and the limits.
        start.ArgumentList.Add($"--as={(long)limits.MemoryLimitMiB << 20}");
        start.ArgumentList.Add("--core=0");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(executable);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // The service's environment holds connection strings and keys; the slicer gets none of it, and a home inside the job.
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } p ? p : "/usr/local/bin:/usr/bin:/bin";
        start.Environment.Clear();
        start.Environment["PATH"] = path;
        start.Environment["LC_ALL"] = "C";
        foreach (var variable in (string[])["HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"])
        {
            start.Environment[variable] = job;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new SlicerException(SlicerException.NotInstalled, $"PrusaSlicer at '{executable}' could not be started: {e.Message}.", "not-started", executable, e.Message);
        }

        // Slicing takes seconds of every core; instant quotes and web requests (milliseconds) must keep winning the CPU.
        // Set at once, before PrusaSlicer starts its worker threads, which inherit the main thread's priority on Linux.
        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // not permitted or already exited: run as is
        }

        // Both pipes are drained concurrently: a slicer blocked on a full stderr pipe would look like a hang.
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillTreeAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = limits.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new SlicerException(SlicerException.Timeout,
                $"PrusaSlicer did not finish within {seconds} s and was stopped; the model may be too complex to slice.", "timeout", seconds);
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            if (RanOutOfMemory(output))
            {
                var mebibytes = limits.MemoryLimitMiB.ToString(CultureInfo.InvariantCulture);
                throw new SlicerException(SlicerException.MemoryLimit,
                    $"PrusaSlicer needed more than the {mebibytes} MiB of memory it may use and was stopped; the model is too complex to slice.", "memory-limit", mebibytes);
            }

            var exitCode = process.ExitCode.ToString(CultureInfo.InvariantCulture);
            var said = LastMeaningfulLine(output);
            throw new SlicerException(SlicerException.Failed, $"PrusaSlicer could not slice the model (exit code {exitCode}): {said}", "exit", exitCode, said);
        }
    }

    // How PrusaSlicer 2.5 dies at the address-space limit: a failed allocation, library mapping or thread stack.
    private static readonly string[] OutOfMemorySigns =
        ["bad_alloc", "Cannot allocate memory", "out of memory", "failed to map segment", "Resource temporarily unavailable"];

    private static bool RanOutOfMemory(string output) => OutOfMemorySigns.Any(sign => output.Contains(sign, StringComparison.OrdinalIgnoreCase));

    private static void DeleteQuietly(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the slicer was waited for, so nothing should hold it; the OS cleans temp
        }
    }

    /// <summary>Kills the slicer and its children, then waits for it, so nothing writes into the job directory being removed.</summary>
    private static async Task KillTreeAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it exited between the timeout and the kill
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGKILL cannot be ignored; a process stuck in the kernel goes when it returns
        }
    }

    private static string? ResolveExecutable(string path)
    {
        if (path.Contains(Path.DirectorySeparatorChar) || path.Contains(Path.AltDirectorySeparatorChar))
        {
            return File.Exists(path) ? path : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string LastMeaningfulLine(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => !l.Contains("[trace]", StringComparison.Ordinal) && !l.Contains("[debug]", StringComparison.Ordinal) && !l.Contains("[info]", StringComparison.Ordinal));
        return string.IsNullOrEmpty(line) ? "no message." : line.Length > 300 ? line[..300] + "…" : line;
    }

    private static string ReadBuiltInProfile()
    {
        using var resource = typeof(PrusaSlicer).Assembly.GetManifestResourceStream(ProfileResource)
            ?? throw new InvalidOperationException($"The built-in profile {ProfileResource} is missing from the assembly.");
        using var reader = new StreamReader(resource);
        return reader.ReadToEnd();
    }
}
