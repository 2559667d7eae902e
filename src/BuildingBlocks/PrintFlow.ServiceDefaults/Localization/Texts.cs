using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>
/// A string of a service's resources (<c>Resources/&lt;T&gt;.resx</c> beside the marker class <c>T</c>)
/// in the request's language, for code that has no <c>IStringLocalizer</c> at hand (static helpers, domain refusals).
/// The same files <c>IStringLocalizer&lt;T&gt;</c> reads.
/// </summary>
public static class Texts
{

    /// <summary>The string named <paramref name="key"/>, filled with <paramref name="arguments"/>; the key itself when missing.</summary>
    public static string Get<T>(string key, params object?[] arguments)
    {
        var format = ResourceManagers.For(typeof(T)).GetString(key, CultureInfo.CurrentUICulture) ?? key;
        return arguments.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, arguments);
    }

    /// <summary>
    /// The string in <paramref name="culture"/>'s language and number format, for text that is stored or sent on (the
    /// invariant culture gives the neutral English, the same whoever caused it) rather than shown to the reader now.
    /// </summary>
    public static string In<T>(CultureInfo culture, string key, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var format = ResourceManagers.For(typeof(T)).GetString(key, culture) ?? key;
        return arguments.Length == 0 ? format : string.Format(culture, format, arguments);
    }

    /// <summary>The string named <paramref name="key"/>, or null when the resources have none.</summary>
    public static string? Find<T>(string key) => Find<T>(CultureInfo.CurrentUICulture, key);

    /// <summary>The string named <paramref name="key"/> in <paramref name="culture"/>'s language, or null when the resources have none.</summary>
    public static string? Find<T>(CultureInfo culture, string key) => ResourceManagers.For(typeof(T)).GetString(key, culture);
}

internal static class ResourceManagers
{
    private static readonly ConcurrentDictionary<Type, ResourceManager> Managers = new();

    /// <summary>The manager of <c>&lt;assembly&gt;.Resources.&lt;type name&gt;</c>, as the localizer factory names it.</summary>
    public static ResourceManager For(Type marker) =>
        Managers.GetOrAdd(marker, t => new ResourceManager($"{t.Assembly.GetName().Name}.Resources.{t.Name}", t.Assembly));
}
