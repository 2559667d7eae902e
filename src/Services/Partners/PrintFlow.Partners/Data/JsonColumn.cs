using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PrintFlow.Partners.Data;

/// <summary>
/// Maps a property to one JSON column as a plain value (converted with System.Text.Json), not as owned entities:
/// EF then tracks an order as one entry instead of one per item, quote line and history step, which a status event
/// paid for on every load and save. The JSON is what EF's owned-entity mapping wrote before (property names as in
/// C#, enums by name), so rows written either way read back alike. Nothing queries inside these columns.
/// </summary>
internal static class JsonColumn
{
    // On SQLite EF stored times inside owned JSON as UTC ticks (ServiceDbContext's convention for that provider), on
    // PostgreSQL as ISO 8601 text: each provider keeps its format, and either is read.
    private static readonly JsonSerializerOptions PostgresOptions = OptionsWith(new TimeAsText());
    private static readonly JsonSerializerOptions SqliteOptions = OptionsWith(new TimeAsUtcTicks());

    private static JsonSerializerOptions OptionsWith(JsonConverter time) => new()
    {
        Converters = { new JsonStringEnumConverter(), time },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>A list that is only ever added to or replaced, never changed in place: compared and snapshotted by its elements.</summary>
    public static PropertyBuilder<TList> AsJsonList<TList, TItem>(this PropertyBuilder<TList> property, string column, bool postgres)
        where TList : class, IReadOnlyList<TItem>
        where TItem : class =>
        property.AsJson(column, postgres, new ValueComparer<TList>(
            (a, b) => ReferenceEquals(a, b) || (a != null && b != null && a.SequenceEqual(b)),
            list => list.Count,
            list => (TList)(IReadOnlyList<TItem>)list.ToList()));

    /// <summary>A value that is replaced as a whole, never changed in place: compared by reference.</summary>
    public static PropertyBuilder<T> AsJsonValue<T>(this PropertyBuilder<T> property, string column, bool postgres)
        where T : class? =>
        property.AsJson(column, postgres, new ValueComparer<T>((a, b) => ReferenceEquals(a, b), v => v == null ? 0 : v.GetHashCode(), v => v));

    private static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property, string column, bool postgres, ValueComparer<T> comparer)
        where T : class?
    {
        var options = postgres ? PostgresOptions : SqliteOptions;
        property.HasColumnName(column)
            .HasConversion(new ValueConverter<T, string>(
                value => JsonSerializer.Serialize(value, options),
                json => JsonSerializer.Deserialize<T>(json, options)!), comparer)
            .IsRequired(false);
        return postgres ? property.HasColumnType("jsonb") : property;
    }

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
