using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PrintFlow.Testing;

/// <summary>
/// The real embedded host (every service, SQLite files, in-process messaging) on a data folder of its own, in
/// Development so the demo accounts exist (unless another environment is named). <see cref="StartKestrel"/> serves it
/// on a real port for a browser.
/// </summary>
public sealed class PrintFlowHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Replaces services after the host registered its own (a seam such as a DNS resolver).</param>
    public PrintFlowHost(IDictionary<string, string?>? settings = null, string? environment = null, Action<IServiceCollection>? services = null)
    {
        QueryCounter.Listen();
        _environment = environment ?? Environments.Development;
        _services = services;
        DataDirectory = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>
        {
            ["PrintFlow:DataDirectory"] = DataDirectory,
            ["Logging:Format"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Messaging:PollInterval"] = "00:00:00.200",
            ["Messaging:RetryBaseDelay"] = "00:00:00.100",
            // Tests seed channel orders no other service knows; a test about re-sending sets its own wait.
            ["Shop:Resend:After"] = "1.00:00:00",
            ["Partners:Resend:After"] = "1.00:00:00",
            // Every test client shares one address; a test about registration throttling sets its own limit.
            ["PrintFlow:SignIn:MaxRegistrationsPerAddress"] = "100000",
            // Exact pricing is on wherever PrusaSlicer is installed; tests that confirm a quote at once would race the
            // refinement. Tests about exact pricing switch it on (null here means "not configured": detect the slicer).
            ["Pricing:Exact:Enabled"] = "false",
            // The Development demo floor (simulated printers) starts only where a test asks for it.
            ["Demo:SimulatedPrinters"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>Settings that run these services, and only these, on PostgreSQL, each on the database given.</summary>
    public static Dictionary<string, string?> OnPostgres(params (string Service, string ConnectionString)[] services)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = string.Join(',', services.Select(s => s.Service)),
            ["Database:Provider"] = "Postgres",
        };
        foreach (var (service, connectionString) in services)
        {
            settings[$"ConnectionStrings:{service}"] = connectionString;
        }

        return settings;
    }

    public string DataDirectory { get; }

    /// <summary>The base address of the Kestrel server once <see cref="StartKestrel"/> ran.</summary>
    public Uri? KestrelAddress { get; private set; }

    /// <summary>Serves the host on a loopback port (a free one unless given: for Chromium) and returns its address.</summary>
    public Uri StartKestrel(int port = 0)
    {
        UseKestrel(port);
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        KestrelAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return KestrelAddress;
    }

    /// <summary>The language every test client asks for unless a test sets its own (the product's default is Russian).</summary>
    public const string TestLanguage = "en";

    /// <summary>Every client of the host reads English, so tests assert English text unless they test Russian on purpose.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(TestLanguage);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Urls", "http://127.0.0.1:0");
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still closing; the temp folder is cleaned by the OS eventually.
            }
        }
    }
}
