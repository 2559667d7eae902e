using System.Text.Json;
using System.Text.Json.Serialization;
using PrintFlow.Contracts;

namespace PrintFlow.Messaging;

public static class MessageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(IIntegrationEvent message) =>
        JsonSerializer.Serialize(message, message.GetType(), Options);

    public static IIntegrationEvent Deserialize(MessageEnvelope envelope)
    {
        var type = MessageTypes.TypeOf(envelope.Name)
            ?? throw new InvalidOperationException($"Unknown message name '{envelope.Name}'.");
        return (IIntegrationEvent)(JsonSerializer.Deserialize(envelope.Payload, type, Options)
            ?? throw new InvalidOperationException($"Message {envelope.MessageId} has an empty payload."));
    }
}
