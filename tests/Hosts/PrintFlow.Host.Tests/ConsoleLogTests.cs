using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// What the console shows: a person running <c>dotnet run</c> reads the banner first and then one readable line per
/// log entry; a Production process writes nothing but JSON lines, for a log collector.
/// </summary>
public sealed partial class ConsoleLogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_WithDotnetRunInDevelopment_PrintsTheBannerFirstThenOneReadableLinePerEntry()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        using var host = HostProcess.Start(
            "dotnet",
            ["run", "--no-build", "-c", configuration, "--project", Path.Combine(RepositoryRoot(), "src", "Hosts", "PrintFlow.Host"), "--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string>());

        await Eventually.UntilAsync(() => host.Stdout.Contains("PrintFlow started at", StringComparison.Ordinal), "the host never said it started", Deadline);

        var lines = host.StdoutLines().SkipWhile(l => l.StartsWith("Using launch settings", StringComparison.Ordinal)).ToList();
        Assert.True(lines[0].StartsWith("PrintFlow is running (Development)", StringComparison.Ordinal), host.Output);
        var afterBanner = lines.SkipWhile(l => l != "Press Ctrl+C to stop.").Skip(1).ToList();
        Assert.NotEmpty(afterBanner);
        Assert.All(afterBanner, line => Assert.Matches(SimpleLine(), line));
        Assert.Contains(lines, l => l.StartsWith("  customer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InProduction_WritesOnlyJsonLinesAndNoDemoSecrets()
    {
        var data = HostProcess.NewDataDirectory();
        using var host = HostProcess.StartBuilt(
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                // Production encrypts the data-protection keys at rest and will not start without the certificate.
                ["PrintFlow__DataProtection__CertificatePath"] = TestCertificates.CreatePfx(data),
                ["PrintFlow__DataProtection__CertificatePassword"] = "test-password",
            },
            data);

        await Eventually.UntilAsync(() => host.Stdout.Contains("PrintFlow started at", StringComparison.Ordinal), "the host never said it started", Deadline);

        var entries = host.StdoutLines().Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "PrintFlow.Host.StartupBanner");
        Assert.All(entries, e => Assert.True(e.TryGetProperty("Timestamp", out _) && e.TryGetProperty("LogLevel", out _), e.ToString()));
        Assert.DoesNotContain("demo-password", host.Stdout);
    }

    [Theory]
    [InlineData(null, "Development", "simple")]
    [InlineData(null, "Production", "json")]
    [InlineData(null, "Staging", "json")]
    [InlineData("JSON", "Development", "json")]
    [InlineData("simple", "Production", "simple")]
    public void LogFormat_FromConfigurationAndEnvironment_IsSimpleOnlyForDevelopmentUnlessSet(string? configured, string environment, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Format"] = configured }).Build();

        Assert.Equal(expected, ServiceDefaultsExtensions.LogFormat(configuration, new HostingEnvironment { EnvironmentName = environment }));
    }

    [Fact]
    public void LogFormat_WhenUnknown_StopsTheStartNamingTheChoices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Format"] = "xml" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => ServiceDefaultsExtensions.LogFormat(configuration, new HostingEnvironment { EnvironmentName = "Production" }));
        Assert.Contains("use 'json' or 'simple'", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (trce|dbug|info|warn|fail|crit): \S")]
    private static partial Regex SimpleLine();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrintFlow.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PrintFlow.slnx not found above " + AppContext.BaseDirectory);
    }
}
