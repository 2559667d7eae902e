using System.Text.Json;

namespace PrintFlow.Cli.Tests;

public class ErrorTests
{
    private static void AssertErrorJson(CliProcess.Result run, string code)
    {
        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    private static async Task<string> TempFile(string name, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"printflow-cli-{Guid.NewGuid():N}-{name}");
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    [Fact]
    public async Task Quote_WhenFileIsNotAModel_ExitsTwoWithErrorJson()
    {
        var path = await TempFile("broken.stl", "this is a shopping list, not a mesh\n"u8.ToArray());
        try
        {
            var run = await CliProcess.RunAsync("quote", path, "--json");

            Assert.Equal(2, run.ExitCode);
            var code = run.Json().GetProperty("error").GetProperty("code").GetString()!;
            Assert.StartsWith("model.", code);
            AssertErrorJson(run, code);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Quote_WhenBinaryStlHasNoTriangles_ExitsTwoWithErrorJson()
    {
        var header = new byte[84]; // an 80-byte header and a triangle count of zero
        var path = await TempFile("empty.stl", header);
        try
        {
            var run = await CliProcess.RunAsync("quote", path, "--json");

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("model.", run.Json().GetProperty("error").GetProperty("code").GetString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Dlq_WhenTheUriIsNotAnAmqpAddress_ExitsTwoWithoutRepeatingItsPassword()
    {
        // Through --uri-file: a password in --uri itself is refused before its scheme is looked at.
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "http://printflow:s3cret-broker-pass@rabbit:5672/");
            var run = await CliProcess.RunAsync("dlq", "list", "--uri-file", file);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("amqp://", run.Stderr);
            Assert.DoesNotContain("s3cret", run.Stdout + run.Stderr);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task Quote_WhenFileMissing_ExitsTwoWithFileNotFound()
    {
        AssertErrorJson(await CliProcess.RunAsync("quote", "/nonexistent/part.stl", "--json"), "file.not-found");
    }

    [Fact]
    public async Task Quote_WhenMaterialUnknown_ExitsTwoNamingOfferedMaterials()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), "--material", "Gold", "--json");

        AssertErrorJson(run, "material.unknown");
        Assert.Contains("PLA", run.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("--quantity", "0")]
    [InlineData("--quantity", "many")]
    [InlineData("--units", "furlong")]
    [InlineData("--lead-time", "yesterday")]
    [InlineData("--colour", "red")]
    public async Task Quote_WhenArgumentInvalid_ExitsTwoWithBadArguments(string option, string value)
    {
        AssertErrorJson(await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), option, value, "--json"), "cli.bad-arguments");
    }

    [Fact]
    public async Task Quote_WhenErrorWithoutJson_WritesPlainMessageToStderr()
    {
        var run = await CliProcess.RunAsync("quote", "/nonexistent/part.stl");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("does not exist", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task Run_WhenCommandUnknown_ExitsTwo()
    {
        AssertErrorJson(await CliProcess.RunAsync("price", "x.stl", "--json"), "cli.bad-arguments");
    }

    [Fact]
    public async Task Run_WhenHelp_PrintsUsageAndExitsZero()
    {
        var run = await CliProcess.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage: printflow quote FILE", run.Stdout);
    }
}
