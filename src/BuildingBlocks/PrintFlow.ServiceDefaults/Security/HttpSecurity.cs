using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>Forwarded headers from known proxies only, security headers on every response, data-protection keys encrypted at rest.</summary>
public static class HttpSecurity
{
    /// <summary>
    /// The pages are server-rendered with scripts and styles from files of this site only (live.js, mes-notify.js,
    /// app.css, mes.css): nothing inline, nothing from elsewhere, never framed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void AddForwardedHeaders(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ForwardingOptions.Section).Get<ForwardingOptions>() ?? new ForwardingOptions();
        var configured = options.KnownProxies.Length > 0 ? options.KnownProxies : ["127.0.0.1", "::1"];
        var proxies = configured.Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"{ForwardingOptions.Section}:KnownProxies has '{p}', which is not an IP address.")).ToArray();
        var networks = options.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"{ForwardingOptions.Section}:KnownNetworks has '{n}', which is not a network in CIDR form (10.0.0.0/8).")).ToArray();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The scheme (for the Secure cookie and HSTS) and the client's address (for throttling), from the one
            // proxy in front; a client that sends these headers itself, not through a known proxy, is not believed.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
    }

    /// <summary>
    /// Keys in the database named by <c>ConnectionStrings:keys</c> (distributed layout) or beside the data (embedded), so
    /// cookies and form tokens survive restarts and
    /// work across processes; encrypted with a certificate when one is configured, which Production requires.
    /// </summary>
    public static void AddDataProtectionKeys(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string keyDirectory)
    {
        var builder = services.AddDataProtection().SetApplicationName("PrintFlow");
        // Distributed layout: one key ring in PostgreSQL for every instance; embedded default: a folder.
        var keyDatabase = configuration.GetConnectionString(KeyRingDbContext.ConnectionName);
        if (string.IsNullOrWhiteSpace(keyDatabase))
        {
            builder.PersistKeysToFileSystem(new DirectoryInfo(keyDirectory));
        }
        else
        {
            services.AddDbContext<KeyRingDbContext>(o => o.UseNpgsql(keyDatabase));
            // Before data protection's own hosted service, which reads the key ring at start-up.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KeyRingTable>());
            builder.PersistKeysToDbContext<KeyRingDbContext>();
        }

        var options = configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            builder.ProtectKeysWithCertificate(LoadCertificate(options.CertificatePath, options.CertificatePassword));
        }

        services.AddOptions<KeyProtectionOptions>().BindConfiguration(KeyProtectionOptions.Section)
            .Validate(o => !environment.IsProduction() || !string.IsNullOrWhiteSpace(o.CertificatePath),
                $"In Production the data-protection keys (which sign and encrypt sign-in cookies) must be encrypted at rest: set " +
                $"{KeyProtectionOptions.Section}:CertificatePath to a PKCS#12 certificate with its private key " +
                $"(and {KeyProtectionOptions.Section}:CertificatePassword if it has one).")
            .ValidateOnStart();
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{KeyProtectionOptions.Section}:CertificatePath '{path}' could not be loaded: {exception.Message}", exception);
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{KeyProtectionOptions.Section}:CertificatePath '{path}' has no private key; keys could not be read back.");
    }

    /// <summary>Adds the security headers as each response starts, so error pages and static files carry them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
