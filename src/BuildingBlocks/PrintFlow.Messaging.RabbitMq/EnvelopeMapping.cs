using System.Diagnostics;
using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>An envelope as an AMQP message: the payload is the body, everything else is a property or a header.</summary>
public static class EnvelopeMapping
{
    public static BasicProperties ToProperties(MessageEnvelope envelope)
    {
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [RabbitMqHeaders.SentAt] = envelope.SentAt.ToString("O", CultureInfo.InvariantCulture),
        };
        if (envelope.TraceParent is { } traceParent)
        {
            headers[RabbitMqHeaders.TraceParent] = traceParent;
            if (Activity.Current is { TraceStateString: { Length: > 0 } state } current && current.Id == traceParent)
            {
                headers[RabbitMqHeaders.TraceState] = state;
            }
        }

        return new BasicProperties
        {
            MessageId = envelope.MessageId.ToString(),
            Type = envelope.Name,
            CorrelationId = envelope.CorrelationId.ToString(),
            Timestamp = new AmqpTimestamp(envelope.SentAt.ToUnixTimeSeconds()),
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
            Headers = headers,
        };
    }

    public static ReadOnlyMemory<byte> ToBody(MessageEnvelope envelope) => Encoding.UTF8.GetBytes(envelope.Payload);

    /// <summary>Reads a delivered message back into an envelope; throws <see cref="FormatException"/> for a message PrintFlow did not write.</summary>
    public static MessageEnvelope FromMessage(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        if (!Guid.TryParse(properties.MessageId, out var messageId))
        {
            throw new FormatException($"The message has no valid message id ('{properties.MessageId}').");
        }

        if (string.IsNullOrEmpty(properties.Type))
        {
            throw new FormatException($"Message {messageId} has no type (message name).");
        }

        _ = Guid.TryParse(properties.CorrelationId, out var correlationId);
        var sentAt = HeaderString(properties, RabbitMqHeaders.SentAt) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime);
        return new MessageEnvelope(
            messageId,
            properties.Type,
            correlationId,
            Encoding.UTF8.GetString(body.Span),
            sentAt,
            HeaderString(properties, RabbitMqHeaders.TraceParent));
    }

    public static string? HeaderString(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true ? AsString(value) : null;

    public static int? HeaderInt(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                int i => i,
                long l => (int)l,
                short s => s,
                byte b => b,
                _ => int.TryParse(AsString(value), CultureInfo.InvariantCulture, out var n) ? n : null,
            }
            : null;

    /// <summary>The client returns AMQP strings as UTF-8 bytes.</summary>
    public static string? AsString(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>A copy of a delivered message's properties with the headers changed, for a republish.</summary>
    public static BasicProperties CopyWith(IReadOnlyBasicProperties source, IReadOnlyDictionary<string, object?> set, params string[] remove)
    {
        var copy = new BasicProperties(source);
        var headers = source.Headers is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal)
            : new Dictionary<string, object?>(source.Headers, StringComparer.Ordinal);
        foreach (var name in remove)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in set)
        {
            headers[name] = value;
        }

        copy.Headers = headers;
        copy.DeliveryMode = DeliveryModes.Persistent;
        return copy;
    }
}
