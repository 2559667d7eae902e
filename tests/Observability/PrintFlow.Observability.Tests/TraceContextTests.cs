using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Mes.Data;
using PrintFlow.Messaging;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Partners.Data;
using PrintFlow.Pricing.Data;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>
/// Without an exporter (nothing recorded) the trace id still travels with every message, so the logs of every
/// service that handled an order carry the id of the request that placed it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class TraceContextTests : IDisposable
{
    private readonly PrintFlowHost _host = new();

    [Fact]
    public async Task TraceId_WhenNoTraceIsRecorded_TravelsFromTheRequestThroughPricingToMes()
    {
        using var partner = await Partner.CreateAsync(_host, _host.CreateClient(), autoConfirmBelow: 1_000_000m);
        var orderId = await partner.OrderAsync(StlFiles.BinaryCube(20), "context-cube.stl");
        await partner.WaitForStatusAsync(orderId, "ManufacturingApproved");

        var submitted = await TraceIdOfAsync<PartnersDbContext>(orderId, "orders.submitted");
        var priced = await TraceIdOfAsync<PricingDbContext>(orderId, "pricing.price-calculated");
        var accepted = await TraceIdOfAsync<MesDbContext>(orderId, "manufacturing.progressed");

        Assert.Matches("^[0-9a-f]{32}$", submitted);
        Assert.Equal(submitted, priced);
        Assert.Equal(submitted, accepted);

        // MES's acceptance was counted as a factory step (the jobs-per-operator metric).
        using var client = _host.CreateClient();
        await Eventually.UntilAsync(
            async () => PrometheusText.Parse(await client.GetStringAsync("/metrics")).Value("printflow_factory_steps_total", ("stage", "ManufacturingApproved")),
            steps => steps == 1, "the factory step is counted");
    }

    private async Task<string> TraceIdOfAsync<TDbContext>(Guid orderId, string message) where TDbContext : ServiceDbContext
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var traceParent = await db.Outbox.Where(m => m.CorrelationId == orderId && m.Name == message)
            .OrderBy(m => m.Id).Select(m => m.TraceParent).FirstAsync();
        Assert.NotNull(traceParent);
        return traceParent.Split('-')[1];
    }

    public void Dispose() => _host.Dispose();
}
