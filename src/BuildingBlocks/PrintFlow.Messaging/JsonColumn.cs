using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PrintFlow.Messaging;

/// <summary>
/// The one way an aggregate keeps a value (items, a quote, a status history) in a JSON column: EF converts it once
/// when it reads the row, so the domain type holds the typed value and knows nothing of JSON. The JSON is written
/// with the options given (by default <see cref="MessageSerializer.Options"/>), so each column keeps the format it
/// always had. Nothing queries inside these columns.
/// </summary>
public static class JsonColumn
{
    /// <summary>A value replaced as a whole on change, never changed in place: compared by reference.</summary>
    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property, string column, JsonSerializerOptions? options = null)
        where T : class? =>
        property.AsJson(column, options, new ValueComparer<T>(
            (a, b) => ReferenceEquals(a, b),
            value => value == null ? 0 : value.GetHashCode(),
            value => value));

    /// <summary>A list that may be added to in place (never changed item by item): compared and snapshotted by its items.</summary>
    public static PropertyBuilder<TList> AsJsonList<TList, TItem>(this PropertyBuilder<TList> property, string column, JsonSerializerOptions? options = null)
        where TList : class, IReadOnlyList<TItem>
        where TItem : class =>
        property.AsJson(column, options, new ValueComparer<TList>(
            (a, b) => ReferenceEquals(a, b) || (a != null && b != null && a.SequenceEqual(b)),
            list => list.Count,
            list => (TList)(IReadOnlyList<TItem>)list.ToList()));

    private static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property, string column, JsonSerializerOptions? options, ValueComparer<T> comparer)
        where T : class?
    {
        var json = options ?? MessageSerializer.Options;
        property.HasColumnName(column).HasConversion(
            new ValueConverter<T, string>(
                value => JsonSerializer.Serialize(value, json),
                text => JsonSerializer.Deserialize<T>(text, json)!),
            comparer);
        return property;
    }
}
