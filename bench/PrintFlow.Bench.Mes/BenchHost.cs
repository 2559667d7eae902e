using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PrintFlow.Bench.Mes;

/// <summary>
/// The real host (every service, in-process messaging) on PostgreSQL, served by Kestrel on a free loopback port, in
/// Development so the demo staff exist to sign in with.
/// </summary>
public sealed class BenchHost(BenchDatabases databases, string dataDirectory) : WebApplicationFactory<Program>
{
    public Uri Start()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        builder.UseSetting("PrintFlow:DataDirectory", dataDirectory);
        builder.UseSetting("Database:Provider", "Postgres");
        foreach (var service in BenchDatabases.Services)
        {
            builder.UseSetting($"ConnectionStrings:{service}", databases.ConnectionString(service));
        }

        builder.UseSetting("Logging:Format", "simple");
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
    }
}
