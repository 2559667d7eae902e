using System.Net;
using System.Net.Sockets;
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
        using var host = StartPricing(startupTimeout: "00:00:05");

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
        using var host = StartPricing(startupTimeout: "00:10:00");
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
        using var host = StartPricing(startupTimeout: "00:00:05", keyCertificate: false);

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host neither started nor gave up\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stderr.Contains("PrintFlow:DataProtection:CertificatePath", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Start_WhenTheInternalKeyIsShort_RefusesWithOneLineGivingTheLengthRequired(string environment)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["PrintFlow__Accounts__InternalKey"] = "right-key",
        };
        using var host = StartPricing(startupTimeout: "00:10:00", settings);

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host started with a short internal key\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        Assert.True(host.Stderr.Contains(
            "PrintFlow could not start: PrintFlow:Accounts:InternalKey is 9 characters long; it must be at least 32", StringComparison.Ordinal), host.Output);
        Assert.DoesNotContain("right-key", host.Stderr);
        Assert.DoesNotContain("cannot be reached yet", host.Stdout); // refused before connecting anywhere
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
    }

    [Theory]
    [InlineData("Logging__Format", "xml", "Logging:Format is 'xml'; use 'json' or 'simple'")]
    [InlineData("PrintFlow__Accounts__Peers__0", "http://127.0.0.1:1", "PrintFlow:Accounts:Peers needs PrintFlow:Accounts:InternalKey")]
    [InlineData("PrintFlow__Services", "ordering,billing", "names unknown service(s) billing; known: ordering, pricing")]
    public async Task Start_WhenASettingIsWrongWhileComposing_RefusesWithOneLineAndExitCode1(string variable, string value, string reason)
    {
        using var host = StartPricing(startupTimeout: "00:10:00", new Dictionary<string, string> { [variable] = value });

        var exited = await host.WaitForExitAsync(Deadline);

        Assert.True(exited, $"the host started with a wrong setting\n{host.Output}");
        Assert.True(host.ExitCode == 1, $"exit code {host.ExitCode}\n{host.Output}");
        var lines = host.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("PrintFlow could not start: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", host.Output);
        Assert.DoesNotContain("   at ", host.Output); // no stack trace
    }

    [Theory]
    [InlineData("Messaging__Transport", "RabbitMq", "Messaging:RabbitMq:Uri")] // unset: the built-in printflow/printflow address
    [InlineData("Messaging__RabbitMq__Uri", "amqp://guest:guest@localhost:5672/", "Messaging:RabbitMq:Uri")]
    [InlineData("ConnectionStrings__pricing", "Host=127.0.0.1;Database=printflow_pricing;Username=printflow;Password=printflow", "ConnectionStrings:pricing")]
    [InlineData("Observability__MetricsToken", "short-token", "Observability:MetricsToken")]
    public async Task Start_InProductionWithADefaultSecret_RefusesWithOneLineNamingTheSetting(string variable, string value, string setting)
    {
        var settings = new Dictionary<string, string> { [variable] = value };
        if (setting == "Messaging:RabbitMq:Uri")
        {
            settings["Messaging__Transport"] = "RabbitMq";
        }

        using var host = StartPricing(startupTimeout: "00:10:00", settings);

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

    /// <summary>The built host as the Pricing process in Production, against a PostgreSQL address where nothing listens.</summary>
    private static HostProcess StartPricing(string startupTimeout, IDictionary<string, string>? settings = null, bool keyCertificate = true)
    {
        var data = HostProcess.NewDataDirectory();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["PrintFlow__Services"] = "pricing",
            ["Database__Provider"] = "Postgres",
            ["Database__StartupTimeout"] = startupTimeout,
            ["ConnectionStrings__pricing"] =
                $"Host=127.0.0.1;Port={UnusedPort()};Database=printflow_pricing;Username=printflow_pricing;Password=not-a-default-4f1e;Timeout=2",
        };
        if (keyCertificate)
        {
            // Production encrypts its data-protection keys at rest and will not start without the certificate.
            environment["PrintFlow__DataProtection__CertificatePath"] = TestCertificates.CreatePfx(data);
            environment["PrintFlow__DataProtection__CertificatePassword"] = "test-password";
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return HostProcess.StartBuilt(environment, data);
    }

    /// <summary>A port nothing listens on: bound once to learn a free one, then released.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
