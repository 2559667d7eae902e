using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.Geometry;
using PrintFlow.Mes.Domain;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.Slicing;

namespace PrintFlow.Mes.Printers;

/// <summary>G-code ready to send: a cached file and the slicer's own time estimate.</summary>
public sealed record SlicedPrint(string Path, double PrintHours, string ContentHash);

/// <summary>
/// Slices a print (one job, or a plate of several) for the printer's slicer profile with the hardened PrusaSlicer runner
/// of the Slicing building block. Models come from the model store by content hash, as every service reads them; the
/// G-code is cached by a hash of the profile, the bed and the models, so a repeated part or plate is sliced once.
/// </summary>
public sealed class PrintSlicer(IModelStore models, IOptionsMonitor<FarmOptions> farm, IConfiguration configuration, IHostEnvironment environment) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public bool IsInstalled => PrusaSlicer.IsInstalled(Limits(farm.CurrentValue));

    /// <summary>The G-code of <paramref name="items"/> on <paramref name="printer"/>; several parts are arranged on its bed.</summary>
    /// <exception cref="SlicerException">No slicer, a model gone or unreadable, a slice that failed or left the bed.</exception>
    public async Task<SlicedPrint> SliceAsync(Printer printer, IReadOnlyList<JobItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(items);
        if (printer.Technology != Technologies.Fdm)
        {
            throw new SlicerException(SlicerException.UnsupportedTechnology,
                $"{printer.Name} is a resin printer; MES slices G-code for FDM printers only, so the print was not sent.", "resin-printer", printer.Name);
        }

        var options = farm.CurrentValue;
        var limits = Limits(options);
        if (!PrusaSlicer.IsInstalled(limits))
        {
            throw new SlicerException(SlicerException.NotInstalled,
                $"PrusaSlicer is not installed on this server ({limits.ExecutablePath}), so no G-code could be made for {printer.Name}; nothing was sent.",
                "not-installed", limits.ExecutablePath, printer.Name);
        }

        var profile = BaseProfile(printer, options);
        var settings = PrinterSettings(printer);
        var parts = items.GroupBy(i => i.ModelSha256, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Sha256: g.Key.ToLowerInvariant(), Copies: g.Sum(i => Math.Max(1, i.Quantity))))
            .OrderBy(p => p.Sha256, StringComparer.Ordinal).ToList();
        var hash = ContentHash(profile, settings, parts);
        var directory = CacheDirectory(options);
        var path = Path.Combine(directory, hash + ".gcode");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path))
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // recently used: kept longest
                return new SlicedPrint(path, GcodeStatistics.ReadFile(path).PrintHours, hash);
            }

            var meshes = new List<SliceModel>(parts.Count);
            foreach (var (sha256, copies) in parts)
            {
                meshes.Add(new SliceModel(await ReadMeshAsync(sha256, cancellationToken), copies));
            }

            var merged = meshes.Count > 1 || meshes[0].Copies > 1;
            var result = await PrusaSlicer.SliceAsync(new SliceRequest(meshes, profile, settings, merged), limits, async (gcode, ct) =>
            {
                if (merged && GcodeExtents.ReadFile(gcode) is { } extents && !OnBed(extents, printer))
                {
                    var count = meshes.Sum(m => m.Copies).ToString(CultureInfo.InvariantCulture);
                    throw new SlicerException(SlicerException.Failed,
                        $"PrusaSlicer could not arrange the plate's {count} parts on {printer.Name}'s bed.", "off-bed", count, printer.Name);
                }

                var temporary = path + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
                File.Copy(gcode, temporary);
                File.Move(temporary, path, overwrite: true);
            }, cancellationToken);
            Evict(directory, options.GcodeCacheMaxFiles);
            return new SlicedPrint(path, result.PrintHours, hash);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Mesh> ReadMeshAsync(string sha256, CancellationToken cancellationToken)
    {
        ModelFile file;
        try
        {
            file = await models.OpenFileAsync(sha256, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or ModelCorruptException or ArgumentException)
        {
            throw new SlicerException(SlicerException.Failed, $"The model {sha256[..12]}… is no longer in the model store, so it cannot be sliced.", "model-gone", sha256[..12]);
        }

        using (file)
        {
            try
            {
                // Pricing parsed this model within its budget before the order reached MES; the parse here is the same reader.
                return await Task.Run(() => ModelReader.Read(file.Path), cancellationToken);
            }
            catch (ModelFormatException e)
            {
                throw new SlicerException(SlicerException.Failed, $"The model {sha256[..12]}… cannot be read: {e.Message}", "model-unreadable", sha256[..12], e.Message);
            }
        }
    }

    private static SlicerLimits Limits(FarmOptions options) =>
        new(options.SlicerPath, options.PrlimitPath, options.SliceTimeout, options.SliceMemoryLimitMiB, WorkRoot: null);

    /// <summary>The printer's profile file when one is configured under its name, else the built-in MK3S profile.</summary>
    private static string BaseProfile(Printer printer, FarmOptions options) =>
        options.SlicerProfiles.FirstOrDefault(p => string.Equals(p.Key, printer.SlicerProfile, StringComparison.OrdinalIgnoreCase)).Value is { } file
            ? File.ReadAllText(file)
            : PrusaSlicer.BuiltInProfile;

    /// <summary>The printer's own bed, height and nozzle, so the slicer arranges and checks against the real machine.</summary>
    private static Dictionary<string, string> PrinterSettings(Printer printer)
    {
        var x = printer.BuildX.ToString("0.###", CultureInfo.InvariantCulture);
        var y = printer.BuildY.ToString("0.###", CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bed_shape"] = $"0x0,{x}x0,{x}x{y},0x{y}",
            ["max_print_height"] = printer.BuildZ.ToString("0.###", CultureInfo.InvariantCulture),
        };
        if (printer.NozzleMm is { } nozzle)
        {
            settings["nozzle_diameter"] = nozzle.ToString("0.###", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static bool OnBed(GcodeExtents extents, Printer printer) =>
        extents.MinX >= -0.5 && extents.MinY >= -0.5 && extents.MaxX <= printer.BuildX + 0.5 && extents.MaxY <= printer.BuildY + 0.5;

    private static string ContentHash(string profile, Dictionary<string, string> settings, List<(string Sha256, int Copies)> parts)
    {
        var text = new StringBuilder(profile);
        foreach (var (key, value) in settings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(key).Append('=').Append(value);
        }

        foreach (var (sha256, copies) in parts)
        {
            text.Append('\n').Append(sha256).Append('x').Append(copies.ToString(CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private string CacheDirectory(FarmOptions options)
    {
        var directory = options.GcodeCacheDirectory ?? Path.Combine(DataDirectory.Resolve(configuration, environment), "gcode-cache");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Keeps the newest files only, so hostile or merely many orders cannot fill the disk with G-code.</summary>
    private static void Evict(string directory, int maxFiles)
    {
        var files = new DirectoryInfo(directory).GetFiles("*.gcode");
        foreach (var old in files.OrderByDescending(f => f.LastWriteTimeUtc).Skip(maxFiles))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
                // being read for an upload right now; the next eviction takes it
            }
        }
    }
}
