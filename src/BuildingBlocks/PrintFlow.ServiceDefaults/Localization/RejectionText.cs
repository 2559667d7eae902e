using System.Globalization;
using PrintFlow.Contracts;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>Pricing's refusal in the reader's language: worded again from its parts, else Pricing's English.</summary>
public static class RejectionText
{
    /// <param name="english">The sentence as Pricing wrote it, used when a part has no wording here.</param>
    /// <param name="language">The reader's culture; the request's when null.</param>
    public static string? Of(string? english, IReadOnlyList<RejectionPart>? parts, CultureInfo? language = null)
    {
        if (parts is not { Count: > 0 })
        {
            return english;
        }

        var culture = language ?? CultureInfo.CurrentUICulture;
        var sentences = new List<string>(parts.Count);
        foreach (var part in parts)
        {
            if (Sentence(part, culture) is not { } sentence)
            {
                return english;
            }

            sentences.Add(string.IsNullOrEmpty(part.ItemName) ? sentence : $"{part.ItemName}: {sentence}");
        }

        return string.Join(" ", sentences);
    }

    /// <summary>One refusal without its file's name (a page that shows it beside the file), or null when there are no words for it.</summary>
    public static string? Sentence(RejectionPart? part, CultureInfo? language = null)
    {
        if (part is null)
        {
            return null;
        }

        var culture = language ?? CultureInfo.CurrentUICulture;
        var key = $"Rejection.{part.Sentence}";
        if (Texts.Find<SharedStrings>(culture, key) is null)
        {
            return null;
        }

        try
        {
            return Texts.In<SharedStrings>(culture, key, [.. part.Arguments]);
        }
        catch (FormatException)
        {
            return null; // fewer values than the sentence names: a message from an older Pricing
        }
    }
}
