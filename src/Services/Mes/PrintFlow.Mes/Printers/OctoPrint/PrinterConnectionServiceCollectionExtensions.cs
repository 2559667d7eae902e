using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PrintFlow.Mes.Printers.OctoPrint;

public static class PrinterConnectionServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IPrinterConnection"/> as the OctoPrint REST client, with its options (<c>Mes:OctoPrint</c>).</summary>
    public static IServiceCollection AddPrinterConnection(this IServiceCollection services)
    {
        services.AddOptions<OctoPrintOptions>().BindConfiguration(OctoPrintOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<IPrinterConnection, OctoPrintConnection>(client =>
            {
                // Each call sets its own deadline (status vs upload); the client-wide one stays out of the way.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<OctoPrintOptions>>().Value;
                return new SocketsHttpHandler
                {
                    // A printer is a device on the shop floor: a redirect from it is never followed, and never with the key.
                    AllowAutoRedirect = false,
                    ConnectTimeout = options.ConnectTimeout,
                    AutomaticDecompression = DecompressionMethods.None,
                    MaxResponseHeadersLength = 16,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    UseCookies = false,
                    UseProxy = false,
                };
            });
        return services;
    }
}
