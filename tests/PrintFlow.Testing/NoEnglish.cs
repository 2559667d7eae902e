using System.Collections;
using System.Globalization;
using System.Net;
using System.Resources;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace PrintFlow.Testing;

/// <summary>
/// "No English text on a Russian page": every English (neutral) string of the given resource markers
/// (<c>ShopStrings</c>, <c>HostStrings</c>, …) whose Russian translation differs must not appear, as whole words, in
/// the page's visible text or in its labels (placeholder, aria-label, title, alt).
/// </summary>
public static partial class NoEnglish
{
    /// <summary>Throws naming each English string found on <paramref name="html"/> (a page served in Russian).</summary>
    public static void AssertIn(string html, params Type[] markers)
    {
        var text = VisibleText(html);
        var found = EnglishFragments(markers)
            .Where(f => Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(f.Fragment)}(?![\p{{L}}])"))
            .Select(f => $"{f.Key}: \"{f.Fragment}\"")
            .Distinct()
            .ToList();
        if (found.Count > 0)
        {
            throw new XunitException($"The Russian page shows English text:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", found)}");
        }
    }

    /// <summary>The words a reader sees: text outside tags, scripts and styles, and the labels of elements, decoded.</summary>
    public static string VisibleText(string html)
    {
        var withoutCode = ScriptOrStyle().Replace(html, " ");
        var labels = string.Join(" ", Label().Matches(withoutCode).Select(m => m.Groups[2].Value));
        var text = Tag().Replace(withoutCode, " ");
        return WebUtility.HtmlDecode(text + " " + labels);
    }

    /// <summary>
    /// The English strings as fragments between their placeholders ("Order {0} is late" gives "Order" and "is late"),
    /// keeping those with a word of three letters or more that the Russian resources do not use too (PLA, Email).
    /// </summary>
    public static IReadOnlyList<(string Key, string Fragment)> EnglishFragments(params Type[] markers)
    {
        var fragments = new List<(string, string)>();
        foreach (var marker in markers)
        {
            var manager = new ResourceManager($"{marker.Assembly.GetName().Name}.Resources.{marker.Name}", marker.Assembly);
            var english = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
                ?? throw new InvalidOperationException($"{marker.FullName} has no neutral resources.");
            foreach (DictionaryEntry entry in english)
            {
                var key = (string)entry.Key;
                var value = (string)entry.Value!;
                var russian = manager.GetString(key, CultureInfo.GetCultureInfo("ru"));
                if (russian == value)
                {
                    continue;
                }

                fragments.AddRange(Placeholder().Split(value)
                    .Select(f => f.Trim(' ', '.', ',', ':', ';', '·', '(', ')', '\'', '"'))
                    .Where(f => LongWord().IsMatch(f) && russian?.Contains(f, StringComparison.Ordinal) != true)
                    .Select(f => (key, f)));
            }
        }

        // A word some Russian string shows as it is (Email, PLA) may appear on a Russian page whichever key put it there.
        var russianTexts = markers.SelectMany(RussianValues).ToList();
        return [.. fragments.Where(f => !russianTexts.Any(r => r.Contains(f.Item2, StringComparison.Ordinal)))];
    }

    private static IEnumerable<string> RussianValues(Type marker)
    {
        var manager = new ResourceManager($"{marker.Assembly.GetName().Name}.Resources.{marker.Name}", marker.Assembly);
        var russian = manager.GetResourceSet(CultureInfo.GetCultureInfo("ru"), createIfNotExists: true, tryParents: false);
        return russian is null ? [] : russian.Cast<DictionaryEntry>().Select(e => (string)e.Value!);
    }

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"\b(placeholder|aria-label|title|alt)=""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[A-Za-z]{3,}")]
    private static partial Regex LongWord();
}
