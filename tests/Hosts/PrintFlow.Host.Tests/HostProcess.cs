using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The host run as its own process, as a person or deploy/local/up.sh runs it: on a free port and a private data
/// folder (removed afterwards), both streams captured for the assertions and for a failure's message.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private HostProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public int ExitCode => _process.ExitCode;

    /// <summary>Both streams, for a failure message: what the process said is the diagnosis.</summary>
    public string Output => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

    public IEnumerable<string> StdoutLines() => Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    /// <summary>A fresh folder for a process's data (and its certificate), which <see cref="Dispose"/> removes.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The built host beside the tests (PrintFlow.Host.dll).</summary>
    public static HostProcess StartBuilt(IDictionary<string, string> environment, string? dataDirectory = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        return Start(dotnet, [Path.Combine(AppContext.BaseDirectory, "PrintFlow.Host.dll")], environment, dataDirectory);
    }

    public static HostProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment, string? dataDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not choose what a test is about.
        foreach (var inherited in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Logging__Format" })
        {
            start.Environment.Remove(inherited);
        }

        dataDirectory ??= NewDataDirectory();
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["PrintFlow__DataDirectory"] = dataDirectory;
        start.Environment["Demo__SimulatedPrinters"] = "0"; // a test that wants the demo floor asks for it
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, dataDirectory);
        process.OutputDataReceived += (_, e) => { lock (host._stdout) { host._stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (host._stderr) { host._stderr.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>SIGTERM, as <c>kill</c>, systemd or deploy/local/down.sh stop a process.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
