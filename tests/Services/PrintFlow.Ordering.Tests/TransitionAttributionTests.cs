using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Handlers;

namespace PrintFlow.Ordering.Tests;

/// <summary>Each recorded move says which message, from which service, and in which trace it was made.</summary>
public sealed class TransitionAttributionTests : IAsyncLifetime
{
    private OrderingDatabase _database = null!;

    public async Task InitializeAsync() => _database = await OrderingDatabase.CreateAsync(services => services
        .AddLogging()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()) // the endpoint's batch size, by default
        .AddMessagingEndpoint<OrderingDbContext>("ordering", endpoint => endpoint
            .Handle<OrderSubmitted, OrderSubmittedHandler>()
            .Handle<PriceCalculated, PriceCalculatedHandler>()));

    [Fact]
    public async Task Handle_WhenAMessageMovesAnOrder_RecordsTheMessageItsServiceAndTheTraceId()
    {
        using var listener = OrderWatchdogTests.RecordAll();
        var submitted = OrderFactory.Submitted() with { Customer = new CustomerRef("p-1", "Partner Ltd", "p@example.com", SalesChannel.Partner) };
        var submitTrace = ActivityTraceId.CreateRandom();
        var priceTrace = ActivityTraceId.CreateRandom();

        await DispatchAsync(submitted, submitTrace);
        await DispatchAsync(new PriceCalculated(submitted.OrderId, OrderFactory.Quote(), DateTimeOffset.UtcNow), priceTrace);

        var steps = await _database.TransitionsAsync(submitted.OrderId);
        Assert.Equal(
            [
                (OrderStatus.Submitted, "orders.submitted", "Partners", submitTrace.ToHexString()),
                (OrderStatus.PriceCalculating, "orders.submitted", "Partners", submitTrace.ToHexString()),
                (OrderStatus.Quoted, "pricing.price-calculated", "Pricing", priceTrace.ToHexString()),
            ],
            steps.Select(s => (s.To, s.Cause!, s.CausedBy!, s.TraceId!)));
    }

    [Fact]
    public async Task HandleBatch_WhenTwoOrdersMovesShareOneSave_AttributesEachMoveToItsOwnMessageAndTrace()
    {
        using var listener = OrderWatchdogTests.RecordAll();
        var partner = new CustomerRef("p-1", "Partner Ltd", "p@example.com", SalesChannel.Partner);
        var quoted = OrderFactory.Submitted() with { Customer = partner };
        await DispatchAsync(quoted, ActivityTraceId.CreateRandom());
        var submitted = OrderFactory.Submitted() with { Customer = partner };
        var submitTrace = ActivityTraceId.CreateRandom();
        var priceTrace = ActivityTraceId.CreateRandom();

        var failures = await _database.Services.GetRequiredService<IMessageEndpoint>().DispatchBatchAsync(
            [Envelope(new PriceCalculated(quoted.OrderId, OrderFactory.Quote(), DateTimeOffset.UtcNow), priceTrace), Envelope(submitted, submitTrace)],
            CancellationToken.None);

        Assert.All(failures, Assert.Null);
        Assert.Equal(
            (OrderStatus.Quoted, "pricing.price-calculated", "Pricing", priceTrace.ToHexString()),
            (await _database.TransitionsAsync(quoted.OrderId)).Select(s => (s.To, s.Cause!, s.CausedBy!, s.TraceId!)).Last());
        Assert.Equal(
            [
                (OrderStatus.Submitted, "orders.submitted", "Partners", submitTrace.ToHexString()),
                (OrderStatus.PriceCalculating, "orders.submitted", "Partners", submitTrace.ToHexString()),
            ],
            (await _database.TransitionsAsync(submitted.OrderId)).Select(s => (s.To, s.Cause!, s.CausedBy!, s.TraceId!)));
    }

    [Theory]
    [InlineData("orders.submitted", SalesChannel.Shop, "Shop")]
    [InlineData("orders.confirmation-requested", SalesChannel.Partner, "Partners")]
    [InlineData("pricing.quote-refined", SalesChannel.Shop, "Pricing")]
    [InlineData("manufacturing.progressed", SalesChannel.Shop, "Mes")]
    [InlineData("ordering.watchdog", SalesChannel.Partner, "Ordering")]
    public void ServiceOf_WhenGivenACause_NamesTheServiceThatSentIt(string cause, SalesChannel channel, string service) =>
        Assert.Equal(service, TransitionAttribution.ServiceOf(cause, channel));

    private Task DispatchAsync(IIntegrationEvent message, ActivityTraceId traceId) =>
        _database.Services.GetRequiredService<IMessageEndpoint>().DispatchAsync(Envelope(message, traceId), CancellationToken.None);

    private static MessageEnvelope Envelope(IIntegrationEvent message, ActivityTraceId traceId) =>
        new(Guid.NewGuid(), MessageTypes.NameOf(message.GetType()), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow,
            $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-00");

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
