using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrintFlow.Observability.Tests.Support;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, spans and metrics leave the process over OTLP.</summary>
[Collection(HostCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Telemetry_WhenAnOtlpEndpointIsConfigured_IsExportedOverOtlpHttp()
    {
        var received = new ConcurrentQueue<(string Path, string Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue((http.Request.Path.Value!, Encoding.Latin1.GetString(body.ToArray()))); // protobuf strings are plain UTF-8 bytes
            return Results.Ok();
        });
        await collector.StartAsync();
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using (var host = new PrintFlowHost(new Dictionary<string, string?>
               {
                   ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
                   ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                   ["OTEL_SERVICE_NAME"] = "printflow-otlp-test",
               }))
        {
            using var partner = await Partner.CreateAsync(host, host.CreateClient());
            var orderId = await partner.OrderAsync(StlFiles.BinaryCube(20), "otlp-cube.stl");
            await partner.WaitForStatusAsync(orderId, "Quoted");
            await Eventually.UntilAsync(
                () => Task.FromResult(host.Services.GetRequiredService<TracerProvider>().ForceFlush(5000)
                    && received.Any(r => r.Path == "/v1/traces" && r.Body.Contains("pricing.price-requested process", StringComparison.Ordinal))),
                "the spans reached the OTLP collector");
            // The flush reports false whatever OTLP did: the Prometheus reader beside it is collected by scrapes only.
            await Eventually.UntilAsync(
                () => Task.FromResult(host.Services.GetRequiredService<MeterProvider>().ForceFlush(5000) is var _
                    && received.Any(r => r.Path == "/v1/metrics" && r.Body.Contains("printflow.orders.entered", StringComparison.Ordinal))),
                "the metrics reached the OTLP collector");
        }

        var traces = string.Concat(received.Where(r => r.Path == "/v1/traces").Select(r => r.Body));
        var metrics = string.Concat(received.Where(r => r.Path == "/v1/metrics").Select(r => r.Body));
        Assert.Contains("printflow-otlp-test", traces);
        Assert.Contains("POST /api/partners/v1/orders", traces);
        Assert.Contains("orders.submitted publish", traces);
        Assert.Contains("pricing.price-requested process", traces);
        Assert.Contains("printflow.orders.entered", metrics);
        Assert.Contains("http.server.request.duration", metrics);
    }
}
