using System.IO.Compression;

namespace PrintFlow.Cli.Tests;

/// <summary>
/// The CLI users and bench/pricing.sh run is the native executable of <c>dotnet publish -r linux-x64</c> (ahead-of-time
/// compiled, trimmed). Trimming may drop code the JIT build still has, so the native executable must answer exactly
/// like the JIT build on every reader and on errors.
/// </summary>
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
            var project = Path.Combine(RepositoryRoot(), "src", "Tools", "PrintFlow.Cli", "PrintFlow.Cli.csproj");
            var publish = await CliProcess.RunExecutableAsync(
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
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
            const string obj = "v 0 0 0\nv 10 0 0\nv 0 10 0\nv 0 0 10\nf 1 3 2\nf 1 2 4\nf 2 3 4\nf -4 -1 -2\n";
            File.WriteAllText(Path.Combine(_directory, "sample.obj"), obj);
            File.WriteAllText(Path.Combine(_directory, "sample-ascii.stl"), AsciiTetrahedron());

            using (var zip = ZipFile.Open(Path.Combine(_directory, "sample.3mf"), ZipArchiveMode.Create))
            {
                Write(zip, "[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>""");
                Write(zip, "_rels/.rels", """<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>""");
                Write(zip, "3D/3dmodel.model", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <model unit="centimeter" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">
                     <resources><object id="1" type="model"><mesh>
                      <vertices><vertex x="0" y="0" z="0"/><vertex x="1" y="0" z="0"/><vertex x="0" y="1" z="0"/><vertex x="0" y="0" z="1"/></vertices>
                      <triangles><triangle v1="0" v2="2" v3="1"/><triangle v1="0" v2="1" v3="3"/><triangle v1="1" v2="2" v3="3"/><triangle v1="0" v2="3" v3="2"/></triangles>
                     </mesh></object></resources>
                     <build><item objectid="1"/><item objectid="1" transform="2 0 0 0 2 0 0 0 2 4 4 0"/></build>
                    </model>
                    """);
            }

            var cube = File.ReadAllBytes(CliProcess.Model("cube-20mm.stl"));
            File.WriteAllBytes(Path.Combine(_directory, "truncated.stl"), cube[..(cube.Length - 30)]);
        }

        private static string AsciiTetrahedron()
        {
            (int, int, int)[] faces = [(0, 2, 1), (0, 1, 3), (1, 2, 3), (0, 3, 2)];
            string[] vertices = ["0 0 0", "10 0 0", "0 10 0", "0 0 10"];
            var text = new System.Text.StringBuilder("solid tetra\n");
            foreach (var (a, b, c) in faces)
            {
                text.Append("facet normal 0 0 0\nouter loop\n");
                foreach (var v in new[] { a, b, c }) text.Append("vertex ").Append(vertices[v]).Append('\n');
                text.Append("endloop\nendfacet\n");
            }

            return text.Append("endsolid tetra\n").ToString();
        }

        private static void Write(ZipArchive zip, string name, string content)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(content);
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "PrintFlow.slnx"))) return directory.FullName;
            }

            throw new InvalidOperationException("PrintFlow.slnx not found above the test directory.");
        }
    }
}
