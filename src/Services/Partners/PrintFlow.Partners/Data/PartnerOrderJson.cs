using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrintFlow.Partners.Data;

/// <summary>
/// The JSON format of a partner order's columns (<see cref="PrintFlow.Messaging.JsonColumn"/>): what EF's owned-entity
/// mapping wrote before (property names as in C#, enums by name), so rows written either way read back alike.
/// </summary>
internal static class PartnerOrderJson
{
    // On SQLite EF stored times inside owned JSON as UTC ticks (ServiceDbContext's convention for that provider), on
    // PostgreSQL as ISO 8601 text: each provider keeps its format, and either is read.
    private static readonly JsonSerializerOptions PostgresOptions = OptionsWith(new TimeAsText());
    private static readonly JsonSerializerOptions SqliteOptions = OptionsWith(new TimeAsUtcTicks());

    public static JsonSerializerOptions For(bool postgres) => postgres ? PostgresOptions : SqliteOptions;

    private static JsonSerializerOptions OptionsWith(JsonConverter time) => new()
    {
        Converters = { new JsonStringEnumConverter(), time },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private static DateTimeOffset ReadTime(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? new DateTimeOffset(reader.GetInt64(), TimeSpan.Zero) : reader.GetDateTimeOffset();

    private sealed class TimeAsText : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadTime(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class TimeAsUtcTicks : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadTime(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteNumberValue(value.UtcTicks);
    }
}
