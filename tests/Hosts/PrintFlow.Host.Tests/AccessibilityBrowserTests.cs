using Microsoft.Playwright;
using PrintFlow.Testing;
using Xunit.Abstractions;

namespace PrintFlow.Host.Tests;

/// <summary>
/// axe-core (WCAG 2.0-2.2 A/AA and best practices) on the pages buyers and staff use most, in Russian (the default) and in
/// English; and the cart worked with the keyboard alone.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AccessibilityBrowserTests(ITestOutputHelper output) : PageTour
{
    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    public async Task Pages_InEachLanguage_HaveNoSeriousOrCriticalViolation(string locale)
    {
        var failures = new List<string>();
        await TourAsync(new BrowserNewContextOptions { Locale = locale }, async (page, stop) =>
        {
            var found = await Axe.CheckAsync(page);
            var serious = found.Where(v => v.Impact is "serious" or "critical").ToList();
            output.WriteLine($"{stop} [{locale}]: {found.Count} violation(s), {serious.Count} serious or critical");
            if (serious.Count > 0)
            {
                // Every page's violations at once, not only the first page's.
                failures.Add($"{stop} [{locale}] ({page.Url}):\n" + string.Join("\n", serious));
            }

            foreach (var lesser in found.Except(serious))
            {
                output.WriteLine($"{stop} [{locale}], not failing: {lesser}");
            }
        });

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Axe_OnAPageWithKnownFaults_ReportsEachWithWhereItIs()
    {
        var page = await NewPageAsync(new BrowserNewContextOptions());
        await page.SetContentAsync("<html><body><main><input id=nameless><button></button></main></body></html>");

        var found = await Axe.CheckAsync(page);

        Assert.Contains(found, v => v.Id == "label" && v.Impact == "critical" && v.Nodes.Any(n => n.Target == "#nameless"));
        Assert.Contains(found, v => v.Id == "button-name");
        Assert.Contains(found, v => v.Id == "html-has-lang");
    }
}
