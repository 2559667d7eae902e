using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The built host run as its own process, as deploy/local/up.sh runs it, against a PostgreSQL address where nothing
/// listens: it waits for its database, says so, and then either gives up with one clear line or stops cleanly.
/// </summary>
public sealed class StartupTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_WhenTheDatabaseCannotBeReached_WaitsThenGivesUpWithAClearMessage()
    {
        using var host = HostProcess.Start(startupTimeout: "00:00:05");

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host neither started nor gave up\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stdout.Contains("cannot be reached yet", StringComparison.Ordinal), host.Output);
        Assert.True(host.Stderr.Contains("PrintFlow could not start: The database of PricingDbContext could not be reached within 5 s", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
    }

    [Fact]
    public async Task Stop_WhileWaitingForTheDatabase_ExitsCleanly()
    {
        using var host = HostProcess.Start(startupTimeout: "00:10:00");
        await Eventually.UntilAsync(() => host.Stdout.Contains("cannot be reached yet"), "the host never said it was waiting for its database", Deadline);

        host.Terminate();
        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host did not stop\n{host.Output}");
        Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stdout.Contains("PrintFlow stopped before start-up completed.", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
    }

    [Fact]
    public async Task Start_InProductionWithoutAKeyCertificate_RefusesWithAClearMessage()
    {
        using var host = HostProcess.Start(startupTimeout: "00:00:05", keyCertificate: false);

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host neither started nor gave up\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stderr.Contains("PrintFlow:DataProtection:CertificatePath", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
    }

    [Fact]
    public async Task Start_WhenTheInternalKeyIsShort_RefusesWithOneLineGivingTheLengthRequired()
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // any environment: Production's own check would name it first
            ["PrintFlow__Accounts__InternalKey"] = "right-key",
        };
        using var host = HostProcess.Start(startupTimeout: "00:10:00", settings);

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host started with a short internal key\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stderr.Contains(
            "PrintFlow could not start: PrintFlow:Accounts:InternalKey is 9 characters long; it must be at least 32", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
    }

    [Theory]
    [InlineData("Messaging__Transport", "RabbitMq", "Messaging:RabbitMq:Uri")] // unset: the built-in printflow/printflow address
    [InlineData("Messaging__RabbitMq__Uri", "amqp://guest:guest@localhost:5672/", "Messaging:RabbitMq:Uri")]
    [InlineData("ConnectionStrings__pricing", "Host=127.0.0.1;Database=printflow_pricing;Username=printflow;Password=printflow", "ConnectionStrings:pricing")]
    [InlineData("PrintFlow__Accounts__InternalKey", "short-internal-key", "PrintFlow:Accounts:InternalKey")]
    [InlineData("Observability__MetricsToken", "short-token", "Observability:MetricsToken")]
    public async Task Start_InProductionWithADefaultSecret_RefusesWithOneLineNamingTheSetting(string variable, string value, string setting)
    {
        var settings = new Dictionary<string, string> { [variable] = value };
        if (setting == "Messaging:RabbitMq:Uri")
        {
            settings["Messaging__Transport"] = "RabbitMq";
        }

        using var host = HostProcess.Start(startupTimeout: "00:10:00", settings);

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host started with a default secret\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stderr.Contains($"PrintFlow could not start: Production refuses a default secret: {setting} ", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("cannot be reached yet", host.Stdout); // refused before connecting anywhere
        if (variable != "Messaging__Transport")
        {
            Assert.DoesNotContain(value, host.Stderr.Replace($"{setting} ", "", StringComparison.Ordinal)); // the value is never repeated
        }
    }

    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();

        private HostProcess(Process process) => _process = process;

        public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }
        public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }
        public int ExitCode => _process.ExitCode;

        /// <summary>Both streams, for a failure message: what the process said is the diagnosis.</summary>
        public string Output => $"stdout:\n{Stdout}\nstderr:\n{Stderr}";

        public static HostProcess Start(string startupTimeout, IDictionary<string, string>? settings = null, bool keyCertificate = true)
        {
            var dataDirectory = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PrintFlow.Host.dll"));
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Urls"] = "http://127.0.0.1:0";
            start.Environment["PrintFlow__Services"] = "pricing";
            start.Environment["PrintFlow__DataDirectory"] = dataDirectory;
            if (keyCertificate)
            {
                // Production encrypts its data-protection keys at rest and will not start without the certificate.
                start.Environment["PrintFlow__DataProtection__CertificatePath"] = TestCertificates.CreatePfx(dataDirectory);
                start.Environment["PrintFlow__DataProtection__CertificatePassword"] = "test-password";
            }

            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["Database__StartupTimeout"] = startupTimeout;
            start.Environment["ConnectionStrings__pricing"] =
                $"Host=127.0.0.1;Port={UnusedPort()};Database=printflow_pricing;Username=printflow_pricing;Password=not-a-default-4f1e;Timeout=2";
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            var process = new Process { StartInfo = start };
            var host = new HostProcess(process);
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
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
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
            }

            _process.Dispose();
        }

        /// <summary>A port nothing listens on: bound once to learn a free one, then released.</summary>
        private static int UnusedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
