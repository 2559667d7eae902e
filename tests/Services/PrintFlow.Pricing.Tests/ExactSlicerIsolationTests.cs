using System.Text.RegularExpressions;
using PrintFlow.Geometry;
using PrintFlow.Geometry.Tests.Support;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Tests.Support;
using PrintFlow.Slicing;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Tests;

/// <summary>
/// Exact mode must slice, and nothing more: a customer's file never reaches PrusaSlicer, no hook of the profile runs,
/// each slice has a private directory that is gone afterwards, and a slice is bounded in time and memory. Real
/// PrusaSlicer 2.5 and real files (scripts/install-test-deps.sh installs it).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "Tools")]
public sealed partial class ExactSlicerIsolationTests : IDisposable
{
    private readonly TempDir _files = new();
    private readonly DirectoryInfo _workRoot = Directory.CreateTempSubdirectory("printflow-slicer-work-");

    public void Dispose()
    {
        _files.Dispose();
        _workRoot.Delete(recursive: true);
    }

    private ExactSlicerOptions Options(Action<ExactSlicerOptions>? change = null)
    {
        var options = new ExactSlicerOptions { WorkRoot = _workRoot.FullName, Timeout = TimeSpan.FromMinutes(2) };
        change?.Invoke(options);
        return options;
    }

    private static string Marker() => Path.Combine(Path.GetTempPath(), $"printflow-pwned-{Guid.NewGuid():N}");

    [Theory]
    [MemberData(nameof(SlicerAttackModels.SlicerConfigVariants), MemberType = typeof(SlicerAttackModels))]
    public async Task SliceAsync_When3mfCarriesSlicerConfigWithPostProcess_SlicesWithoutRunningIt(string variant)
    {
        var marker = Marker();
        var path = _files.Write("cube.3mf", SlicerAttackModels.ThreeMfWithSlicerConfig(variant, marker));

        // What the CLI and the Pricing service do: parse the customer's file, slice the parsed mesh.
        var result = await new ExactSlicer(Options()).SliceAsync(ModelReader.Read(path));

        Assert.False(File.Exists(marker), "the 3MF's post_process ran");
        Assert.Equal(3.35, result.FilamentCm3, 0.02); // the same 20 mm cube as cube-20mm.stl
        Assert.Empty(_workRoot.EnumerateFileSystemInfos());
    }

    [Fact]
    public async Task SliceAsync_WhenConfiguredProfileSetsHooks_RunsNone()
    {
        // An operator's profile copied from a printer may carry scripts and custom G-code; none of them runs.
        var marker = Marker();
        var profile = _files.Write("operator.ini", new ExactSlicer(new ExactSlicerOptions()).Profile()
            + $"post_process = touch {marker}\nstart_gcode = M117 operator start\nlayer_gcode = G92 E0\nuse_relative_e_distances = 1\n");

        var result = await new ExactSlicer(Options(o => o.ProfilePath = profile)).SliceAsync(ModelReader.Read(Model("cube-20mm.stl")));

        Assert.False(File.Exists(marker), "the profile's post_process ran");
        Assert.Equal(3.35, result.FilamentCm3, 0.02);
    }

    [Theory]
    [MemberData(nameof(SlicerAttackModels.SlicerConfigVariants), MemberType = typeof(SlicerAttackModels))]
    public async Task Profile_WhenRealSlicerIsHandedThe3mfItself_StillRunsNoHook(string variant)
    {
        // Defence in depth: even if a customer's 3MF reached PrusaSlicer, the profile pins post_process empty,
        // and PrusaSlicer applies the loaded profile over the file's packed configuration.
        var marker = Marker();
        var model = _files.Write("cube.3mf", SlicerAttackModels.ThreeMfWithSlicerConfig(variant, marker));
        var profile = _files.Write("profile.ini", new ExactSlicer(new ExactSlicerOptions()).Profile());
        var gcode = Path.Combine(_files.Path, "cube.gcode");

        var run = await RunAsync("prusa-slicer", ExactSlicer.Arguments(profile, model, gcode, Path.Combine(_files.Path, "datadir")));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.False(File.Exists(marker), "the 3MF's post_process ran");
        var used = await File.ReadAllTextAsync(gcode);
        Assert.Contains("\n; post_process = \n", used, StringComparison.Ordinal);
        Assert.Contains("\n; start_gcode = \n", used, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_WhenComposed_HasEveryHookEmptyExactlyOnce()
    {
        var hostileBase = "post_process = touch /tmp/x\n  start_gcode=G28\n# post_process = kept as a comment\nend_gcode = M84\nlayer_height = 0.2\n";

        foreach (var profile in new[] { new ExactSlicer(new ExactSlicerOptions()).Profile(), SlicerProfile.Compose(hostileBase) })
        {
            var settings = Settings(profile);
            foreach (var hook in SlicerProfile.EmptiedHooks)
                Assert.True(settings.TryGetValue(hook, out var value) && value is "" or "\"\"", $"{hook} = '{value}'");
            foreach (var (key, value) in SlicerProfile.Pinned) Assert.Equal(value, settings[key]);
            Assert.Equal("0.2", settings["layer_height"]);
        }
    }

    [Fact]
    public async Task Profile_WhenInstalledSlicerListsItsHooks_EmptiesEveryOne()
    {
        // Every string option of the installed PrusaSlicer that is a G-code template or script, by its --help-fff;
        // a newer PrusaSlicer with a new hook fails here until SlicerProfile empties it.
        var help = await RunAsync("prusa-slicer", ["--help-fff"]);
        var hooks = help.Output.Split('\n')
            .Select(line => StringOption().Matches(line).Select(m => m.Groups[1].Value.Replace('-', '_')).ToList())
            .Where(names => names.Any(n => n.EndsWith("_gcode", StringComparison.Ordinal) || n is "post_process" or "gcode_substitutions"))
            .ToList();

        Assert.True(hooks.Count >= 12, $"only {hooks.Count} hooks found in --help-fff");
        foreach (var aliases in hooks)
            Assert.True(aliases.Any(SlicerProfile.EmptiedHooks.Contains), $"{string.Join("/", aliases)} is not emptied");
    }

    [Fact]
    public async Task SliceAsync_WhileSlicing_RunsInAPrivateDirectoryWithOnlyItsOwnFilesAndRemovesIt()
    {
        // A wrapper records what the real slicer is given, then becomes it.
        var probe = new FakeSlicer("stat -c %a . > {dir}/mode\npwd > {dir}/pwd\nls > {dir}/files\nenv > {dir}/env\n"
            + "printf '%s\\n' \"$@\" > {dir}/args\nhead -c 20 model.stl > {dir}/head\nexec prusa-slicer \"$@\"");
        using (probe)
        {
            var result = await new ExactSlicer(Options(o => o.ExecutablePath = probe.Path)).SliceAsync(ModelReader.Read(Model("cube-20mm.stl")));

            Assert.Equal(3.35, result.FilamentCm3, 0.02);
            var job = File.ReadAllText(Path.Combine(probe.Dir, "pwd")).Trim();
            Assert.Equal(_workRoot.FullName, Path.GetDirectoryName(job));
            Assert.Matches("^printflow-slice-[0-9a-f]{32}$", Path.GetFileName(job));
            Assert.Equal("700", File.ReadAllText(Path.Combine(probe.Dir, "mode")).Trim());
            Assert.Equal(["model.stl", "profile.ini"], File.ReadAllLines(Path.Combine(probe.Dir, "files")));
            Assert.Equal("PrintFlow binary STL", File.ReadAllText(Path.Combine(probe.Dir, "head")));
            var args = File.ReadAllLines(Path.Combine(probe.Dir, "args"));
            Assert.Equal(Path.Combine(job, "profile.ini"), args[Array.IndexOf(args, "--load") + 1]);
            Assert.Equal(Path.Combine(job, "model.stl"), args[^1]);
            var env = File.ReadAllLines(Path.Combine(probe.Dir, "env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            Assert.Equal(job, env["HOME"]);
            Assert.Equal(job, env["TMPDIR"]);
            Assert.DoesNotContain(env.Keys, k => k.StartsWith("DOTNET", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings", StringComparison.Ordinal));
            Assert.False(Directory.Exists(job), "the job directory outlived the slice");
            Assert.Empty(_workRoot.EnumerateFileSystemInfos());
        }
    }

    [Fact]
    public async Task SliceAsync_WhenRealSlicerExceedsTimeLimit_IsKilledWithNothingLeftBehind()
    {
        // housing-70mm takes PrusaSlicer ≈ 10 s here; one second is far too little.
        var slicer = new ExactSlicer(Options(o => o.Timeout = TimeSpan.FromSeconds(1)));

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(ModelReader.Read(Model("housing-70mm.stl"))));

        Assert.Equal(SlicerException.Timeout, error.Code);
        Assert.Contains("did not finish within 1 s", error.Message, StringComparison.Ordinal);
        Assert.Empty(_workRoot.EnumerateFileSystemInfos());
        await Eventually.UntilAsync(() => ProcessesMentioning(_workRoot.FullName).Count == 0, "no slicer process is left", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SliceAsync_WhenFakeSlicerHangs_RemovesTheJobDirectoryAfterTheTimeout()
    {
        using var fake = new FakeSlicer("echo $$ > {dir}/pid\nexec sleep 300");
        var slicer = new ExactSlicer(Options(o => { o.ExecutablePath = fake.Path; o.Timeout = TimeSpan.FromMilliseconds(500); }));

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(ModelReader.Read(Model("cube-20mm.stl"))));

        Assert.Equal(SlicerException.Timeout, error.Code);
        Assert.Empty(_workRoot.EnumerateFileSystemInfos());
        Assert.False(FakeSlicer.IsAlive(int.Parse(File.ReadAllText(Path.Combine(fake.Dir, "pid")))));
    }

    [Fact]
    public async Task SliceAsync_WhenSlicerNeedsMoreThanItsMemoryLimit_ThrowsMemoryLimit()
    {
        // 256 MiB of address space starts PrusaSlicer and slices a cube, but not the 70 mm housing.
        var slicer = new ExactSlicer(Options(o => o.MemoryLimitMiB = 256));

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(ModelReader.Read(Model("housing-70mm.stl"))));

        Assert.Equal(SlicerException.MemoryLimit, error.Code);
        Assert.Contains("256 MiB", error.Message, StringComparison.Ordinal);
        Assert.Empty(_workRoot.EnumerateFileSystemInfos());
    }

    [Fact]
    public async Task SliceAsync_WhenPrlimitMissing_ThrowsNotInstalledWithoutSlicing()
    {
        var slicer = new ExactSlicer(Options(o => o.PrlimitPath = "/nonexistent/prlimit"));

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(ModelReader.Read(Model("cube-20mm.stl"))));

        Assert.Equal(SlicerException.NotInstalled, error.Code);
        Assert.Contains("prlimit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenLimitsAreUnusable_ListsEachProblem()
    {
        var errors = new ExactSlicerOptions { Timeout = TimeSpan.Zero, MemoryLimitMiB = 64, WorkRoot = "/nonexistent/work", ProfilePath = "/nonexistent.ini" }.Validate();

        Assert.Equal(4, errors.Count);
        Assert.Empty(new ExactSlicerOptions().Validate());
    }

    private static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "Models", name);

    private static Dictionary<string, string> Settings(string profile)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in profile.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] is not ('#' or ';')))
        {
            var eq = line.IndexOf('=');
            settings.Add(line[..eq].Trim(), line[(eq + 1)..].Trim()); // Add throws on a repeated key, as PrusaSlicer does
        }
        return settings;
    }

    /// <summary>Processes whose command line names <paramref name="text"/>: every slice has its job directory in its arguments.</summary>
    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(text, StringComparison.Ordinal) && FakeSlicer.IsAlive(pid)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* it ended while being read */ }
        }
        return found;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, IEnumerable<string> args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"--([a-z0-9-]+) ABCD")]
    private static partial Regex StringOption();
}
