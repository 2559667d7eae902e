using System.Text;
using System.Text.RegularExpressions;

namespace PrintFlow.Docs.Tests;

/// <summary>
/// Finds the relative links of Markdown files and says which do not resolve: a missing file or folder, or a
/// <c>#heading</c> that the target file does not have (GitHub's anchors: lower case, punctuation dropped, spaces to
/// hyphens, repeats numbered).
/// </summary>
public static partial class MarkdownLinks
{
    /// <summary>One problem per broken link: "file:line: target (why)", paths relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Check(string root, IEnumerable<string> markdownFiles)
    {
        var problems = new List<string>();
        var anchors = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in markdownFiles)
        {
            var lines = File.ReadAllLines(file);
            foreach (var (lineNumber, target) in Links(lines))
            {
                var why = Resolve(file, target, anchors);
                if (why is not null)
                {
                    problems.Add($"{Path.GetRelativePath(root, file)}:{lineNumber}: {target} ({why})");
                }
            }
        }

        return problems;
    }

    /// <summary>The link targets outside code, with their line numbers; absolute URLs and mail addresses left out.</summary>
    public static IEnumerable<(int Line, string Target)> Links(IReadOnlyList<string> lines)
    {
        var inFence = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            var text = CodeSpan().Replace(line, string.Empty);
            foreach (Match m in InlineLink().Matches(text))
            {
                yield return (i + 1, m.Groups["target"].Value.Trim('<', '>'));
            }

            if (ReferenceDefinition().Match(text) is { Success: true } definition)
            {
                yield return (i + 1, definition.Groups["target"].Value);
            }
        }
    }

    /// <summary>GitHub's anchor for each heading of a Markdown file, repeats numbered -1, -2, … as GitHub does.</summary>
    public static HashSet<string> Anchors(IReadOnlyList<string> lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence || Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    public static string Slug(string heading)
    {
        var text = LinkText().Replace(heading.Trim(), "${text}");
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static string? Resolve(string file, string target, Dictionary<string, HashSet<string>> anchors)
    {
        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var full = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
        // artifacts/ (screenshots, reports) is written by the test run itself, so a fresh checkout has none of it yet.
        var generated = $"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}";
        if (!File.Exists(full) && !Directory.Exists(full) && !full.Contains(generated, StringComparison.Ordinal))
        {
            return "no such file or folder";
        }

        if (anchor is null || !full.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!anchors.TryGetValue(full, out var known))
        {
            known = Anchors(File.ReadAllLines(full));
            anchors[full] = known;
        }

        return known.Contains(Uri.UnescapeDataString(anchor)) ? null : "no such heading";
    }

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    // [text](target "title") and ![alt](target); the target ends at whitespace or the closing parenthesis.
    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?<target><[^>]+>|[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s+(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkText();
}
