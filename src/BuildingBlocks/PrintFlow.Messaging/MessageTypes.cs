using System.Collections.Frozen;
using System.Reflection;
using PrintFlow.Contracts;

namespace PrintFlow.Messaging;

/// <summary>
/// Maps every integration event to its stable <see cref="MessageNameAttribute"/> name and back. Built once from
/// the Contracts assembly; a contract without a name, or two with the same name, stop the process at start-up.
/// </summary>
public static class MessageTypes
{
    private static readonly FrozenDictionary<Type, string> NamesByType = Scan();
    private static readonly FrozenDictionary<string, Type> TypesByName =
        NamesByType.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IEnumerable<Type> All => NamesByType.Keys;

    public static string NameOf(Type eventType) =>
        NamesByType.TryGetValue(eventType, out var name)
            ? name
            : throw new InvalidOperationException($"{eventType} is not an integration event of the Contracts assembly.");

    public static string NameOf<TEvent>() where TEvent : IIntegrationEvent => NameOf(typeof(TEvent));

    public static Type? TypeOf(string name) => TypesByName.GetValueOrDefault(name);

    private static FrozenDictionary<Type, string> Scan()
    {
        var result = new Dictionary<Type, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(IIntegrationEvent).Assembly.GetTypes())
        {
            if (!type.IsClass || type.IsAbstract || !typeof(IIntegrationEvent).IsAssignableFrom(type))
            {
                continue;
            }

            var name = type.GetCustomAttribute<MessageNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"Integration event {type.Name} has no [MessageName].");
            if (!seen.Add(name))
            {
                throw new InvalidOperationException($"Message name '{name}' is used twice.");
            }

            result[type] = name;
        }

        return result.ToFrozenDictionary();
    }
}
