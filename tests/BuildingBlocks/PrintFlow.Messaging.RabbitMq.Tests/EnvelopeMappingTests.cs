using RabbitMQ.Client;

namespace PrintFlow.Messaging.RabbitMq.Tests;

public sealed class EnvelopeMappingTests
{
    [Fact]
    public void FromMessage_WhenWrittenByToProperties_KeepsIdsNamePayloadTimeAndTraceParent()
    {
        var envelope = new MessageEnvelope(Guid.CreateVersion7(), "orders.submitted", Guid.CreateVersion7(), """{"a":1}""",
            new DateTimeOffset(2026, 5, 1, 12, 30, 15, 123, TimeSpan.Zero).AddTicks(4567),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var properties = EnvelopeMapping.ToProperties(envelope);
        // What arrives: the client hands string headers back as UTF-8 bytes.
        properties.Headers = properties.Headers!.ToDictionary(h => h.Key, h => h.Value is string s ? (object?)System.Text.Encoding.UTF8.GetBytes(s) : h.Value);

        var read = EnvelopeMapping.FromMessage(properties, EnvelopeMapping.ToBody(envelope));

        Assert.Equal(envelope, read);
        Assert.Equal(DeliveryModes.Persistent, properties.DeliveryMode);
    }

    [Fact]
    public void RetryDelayAfter_WhenAttemptsExceedTheList_RepeatsTheLastDelay()
    {
        var options = new RabbitMqOptions { RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(7)] };

        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryDelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(7), options.RetryDelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(7), options.RetryDelayAfter(9));
    }
}
