using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PrintFlow.Messaging;

/// <summary>
/// Maps a typed property (contract records such as items or a quote) to a JSON text column written with
/// <see cref="MessageSerializer.Options"/>: EF converts it once when it reads the row, so the domain type holds the
/// typed value and knows nothing of JSON. The value must be replaced as a whole, never changed in place, because it
/// is compared by reference.
/// </summary>
public static class MessageJsonColumn
{
    public static PropertyBuilder<T> AsMessageJson<T>(this PropertyBuilder<T> property, string column)
        where T : class?
    {
        property.HasColumnName(column).HasConversion(
            new ValueConverter<T, string>(
                value => JsonSerializer.Serialize(value, MessageSerializer.Options),
                json => JsonSerializer.Deserialize<T>(json, MessageSerializer.Options)!),
            new ValueComparer<T>((a, b) => ReferenceEquals(a, b), v => v == null ? 0 : v.GetHashCode(), v => v));
        return property;
    }
}
