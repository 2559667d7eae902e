using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;
using Xunit;

namespace PrintFlow.Testing;

/// <summary>One rule a page breaks, as axe-core reports it: which rule, how bad, what to do, and where.</summary>
public sealed record AxeViolation(string Id, string Impact, string Help, IReadOnlyList<AxeNode> Nodes)
{
    public override string ToString() =>
        $"{Impact} {Id}: {Help}" + string.Concat(Nodes.Select(n => $"\n    at {n.Target}: {n.Html}\n      {n.Summary.ReplaceLineEndings(" ")}"));
}

/// <summary>One element that breaks an <see cref="AxeViolation"/> rule.</summary>
public sealed record AxeNode(string Target, string Html, string Summary);

/// <summary>
/// axe-core (npm, from tests/test-tools/axe-core, installed with npm ci on first use) injected into a page to check it
/// against WCAG 2.0-2.2 A/AA and axe's best practices. The page's context must be created with BypassCSP = true: the site's
/// Content-Security-Policy rightly refuses the injected script otherwise.
/// </summary>
public static class Axe
{
    /// <summary>The rule sets checked: WCAG 2.0 and 2.1 at levels A and AA, WCAG 2.2 AA (target size), and axe's best practices.</summary>
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

    private static readonly SemaphoreSlim Installing = new(1, 1);
    private static string? _script;

    /// <summary>The violations of <see cref="Tags"/> on the page as it is now, worst first.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> CheckAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var script = await ScriptAsync();
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = script });
            if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            {
                throw new InvalidOperationException("axe-core did not load: create the page's context with BypassCSP = true.");
            }
        }

        var found = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            """
            async tags => {
                const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact ?? 'unknown', help: v.help,
                    nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 240), summary: n.failureSummary ?? '' })),
                }));
            }
            """, Tags);
        var violations = found.EnumerateArray().Select(v => new AxeViolation(
            v.GetProperty("id").GetString()!, v.GetProperty("impact").GetString()!, v.GetProperty("help").GetString()!,
            [.. v.GetProperty("nodes").EnumerateArray().Select(n => new AxeNode(
                n.GetProperty("target").GetString()!, n.GetProperty("html").GetString()!, n.GetProperty("summary").GetString()!))]));
        return [.. violations.OrderBy(v => Rank(v.Impact))];
    }

    /// <summary>Fails with every serious or critical violation listed (rule, help and elements) when there is one.</summary>
    public static async Task AssertNoSeriousViolationAsync(IPage page, string what)
    {
        var serious = (await CheckAsync(page)).Where(v => Rank(v.Impact) <= 1).ToList();
        Assert.True(serious.Count == 0,
            $"{what} ({page.Url}) has {serious.Count} serious or critical accessibility violation(s):\n" + string.Join("\n", serious));
    }

    private static int Rank(string impact) => impact switch { "critical" => 0, "serious" => 1, "moderate" => 2, _ => 3 };

    private static async Task<string> ScriptAsync()
    {
        if (_script is not null)
        {
            return _script;
        }

        await Installing.WaitAsync();
        try
        {
            var tools = Path.Combine(Screenshots.RepositoryRoot(), "tests", "test-tools", "axe-core");
            var file = Path.Combine(tools, "node_modules", "axe-core", "axe.min.js");
            if (!File.Exists(file))
            {
                // Another test process may be installing at the same moment: take turns on a lock file.
                await using var turn = await TakeTurnAsync(Path.Combine(tools, ".npm-install.lock"));
                if (!File.Exists(file))
                {
                    await NpmCiAsync(tools);
                }
            }

            return _script = await File.ReadAllTextAsync(file, Encoding.UTF8);
        }
        finally
        {
            Installing.Release();
        }
    }

    private static async Task<FileStream> TakeTurnAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task NpmCiAsync(string directory)
    {
        using var process = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error")
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("npm did not start (apt install npm).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed ({process.ExitCode}): {await output}{error}");
        }
    }
}
