using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using PrintFlow.ModelStorage;
using PrintFlow.Testing;

namespace PrintFlow.ModelStorage.Tests;

/// <summary>
/// A real S3-speaking server (s3rver, from tests/test-tools/s3rver, installed with npm ci on first use) on a free
/// loopback port and a data folder of its own; stopped and removed when the tests are done.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string AccessKey = "S3RVER"; // s3rver's built-in account: it checks every request's signature against it
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "printflow-s3rver", Guid.NewGuid().ToString("N"));
    private Process? _process;

    public string ServiceUrl { get; private set; } = "";

    /// <summary>The server's last log lines, for a failing test's message.</summary>
    public string Log => string.Join('\n', _log);

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    private void Remember(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 200 && _log.TryDequeue(out _)) { }
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("PRINTFLOW_TEST_FAST") == "1")
        {
            throw new InvalidOperationException(
                "This test needs an S3 server (node and s3rver), which ./test.sh --fast does not provide: tag its class [Trait(\"Category\", \"Infrastructure\")]");
        }

        var tools = Path.Combine(RepositoryRoot(), "tests", "test-tools", "s3rver");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "s3rver")))
        {
            await RunAsync("npm", "ci --no-audit --no-fund", tools);
        }

        Directory.CreateDirectory(_directory);
        var port = FreePort();
        ServiceUrl = $"http://127.0.0.1:{port}";
        _process = Process.Start(new ProcessStartInfo("node",
            ["node_modules/s3rver/bin/s3rver.js", "--directory", _directory, "--address", "127.0.0.1", "--port", port.ToString()])
        {
            WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(_process.HasExited, $"s3rver exited with {(_process.HasExited ? _process.ExitCode : 0)}");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "s3rver listens", TimeSpan.FromSeconds(30));
    }

    /// <summary>Store options for a new, empty bucket of this server.</summary>
    public async Task<S3ModelStoreOptions> NewBucketAsync(long partSizeBytes = 5L * 1024 * 1024)
    {
        var options = new S3ModelStoreOptions
        {
            Bucket = "models-" + Guid.NewGuid().ToString("N")[..12], ServiceUrl = ServiceUrl, ForcePathStyle = true,
            AccessKeyId = AccessKey, SecretAccessKey = AccessKey, PartSizeBytes = partSizeBytes,
        };
        using var client = S3ModelStore.CreateClient(options);
        await client.PutBucketAsync(options.Bucket);
        return options;
    }

    public AmazonS3Client Client(S3ModelStoreOptions options) => S3ModelStore.CreateClient(options);

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing depends on it.
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} in {directory} failed: {await output}{error}");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PrintFlow.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("PrintFlow.slnx not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "s3rver";
}
