using PrintFlow.Geometry.Tests.Support;
using PrintFlow.Observability.Tests.Support;

namespace PrintFlow.Cli.Tests;

/// <summary>
/// The CLI users and bench/pricing.sh run is the native executable of <c>dotnet publish -r linux-x64</c> (ahead-of-time
/// compiled, trimmed). Trimming may drop code the JIT build still has, so the native executable must answer exactly
/// like the JIT build on every reader and on errors.
/// </summary>
[Trait("Category", "Slow")]
public sealed class NativeCliTests(NativeCliTests.Published native) : IClassFixture<NativeCliTests.Published>
{
    public static TheoryData<string> Inputs() =>
    [
        "cube-20mm.stl", "housing-70mm.stl", "mushroom-overhang.stl", // binary STL
        "sample.obj", "sample.3mf", "sample-ascii.stl", "truncated.stl", "missing.stl",
    ];

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Quote_WhenNative_AnswersLikeTheJitBuild(string name)
    {
        var file = native.Input(name);

        var jit = await CliProcess.RunAsync("quote", file, "--json");
        var aot = await CliProcess.RunExecutableAsync(native.Executable, ["quote", file, "--json"]);

        Assert.Equal(name is "truncated.stl" or "missing.stl" ? 2 : 0, aot.ExitCode);
        Assert.Equal(jit.ExitCode, aot.ExitCode);
        Assert.Equal(WithoutValidity(jit.Stdout), WithoutValidity(aot.Stdout));
    }

    [Fact]
    public async Task Dlq_WhenNative_PrintsItsUsage()
    {
        var run = await CliProcess.RunExecutableAsync(native.Executable, ["dlq"]);

        Assert.Contains("printflow dlq list", run.Stdout + run.Stderr);
    }

    // The quote's expiry is computed from the clock when it runs.
    private static string WithoutValidity(string json) =>
        string.Join('\n', json.Split('\n').Where(line => !line.Contains("\"valid_until\"", StringComparison.Ordinal)));

    /// <summary>Publishes the native CLI once for the class, and writes the OBJ, 3MF and broken inputs next to it.</summary>
    public sealed class Published : IAsyncLifetime
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), $"printflow-native-{Guid.NewGuid():N}");

        public string Executable => Path.Combine(_directory, "bin", "printflow");

        public string Input(string name) => File.Exists(CliProcess.Model(name)) ? CliProcess.Model(name) : Path.Combine(_directory, name);

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_directory);
            var project = Path.Combine(Repository.Root, "src", "Tools", "PrintFlow.Cli", "PrintFlow.Cli.csproj");
            var publish = await CliProcess.RunExecutableAsync(CliProcess.DotnetHost,
                ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", Path.Combine(_directory, "bin"), "-nologo", "-v", "q"]);
            Assert.True(publish.ExitCode == 0 && File.Exists(Executable), $"native publish failed:\n{publish.Stdout}\n{publish.Stderr}");
            WriteInputs();
        }

        public Task DisposeAsync()
        {
            Directory.Delete(_directory, recursive: true);
            return Task.CompletedTask;
        }

        private void WriteInputs()
        {
            // OBJ with relative (negative) indices in the last face, which the indexed writer does not produce.
            const string obj = "v 0 0 0\nv 10 0 0\nv 0 10 0\nv 0 0 10\nf 1 3 2\nf 1 2 4\nf 2 3 4\nf -4 -1 -2\n";
            File.WriteAllText(Path.Combine(_directory, "sample.obj"), obj);
            File.WriteAllText(Path.Combine(_directory, "sample-ascii.stl"), ModelFiles.AsciiStl(Shapes.Tetrahedron(), "tetra"));
            // Units and build transforms: one object placed twice, the second scaled and moved.
            var model = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Tetrahedron(1)),
                """<item objectid="1"/><item objectid="1" transform="2 0 0 0 2 0 0 0 2 4 4 0"/>""", unit: "centimeter");
            File.WriteAllBytes(Path.Combine(_directory, "sample.3mf"), ModelFiles.ThreeMf(model));

            var cube = File.ReadAllBytes(CliProcess.Model("cube-20mm.stl"));
            File.WriteAllBytes(Path.Combine(_directory, "truncated.stl"), cube[..(cube.Length - 30)]);
        }
    }
}
