using System.Diagnostics;
using System.Text.Json;

namespace PrintFlow.Cli.Tests;

/// <summary>Runs the built printflow.dll as its own process, exactly as a user or the benchmark does.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json()
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
    }

    public static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "Models", name);

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), or the one on PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        RunExecutableAsync(DotnetHost, [Path.Combine(AppContext.BaseDirectory, "printflow.dll"), .. args], environment);

    /// <summary>Runs any executable (the native CLI, dotnet publish) with a two-minute limit.</summary>
    public static async Task<Result> RunExecutableAsync(string executable, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(args, null);
}
