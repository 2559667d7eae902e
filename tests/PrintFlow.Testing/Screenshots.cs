using Microsoft.Playwright;

namespace PrintFlow.Testing;

/// <summary>
/// Screenshots the browser tests take of the pages they walk through, saved under artifacts/screenshots/ at the
/// repository's root (README links them), so a person can look at what the tests saw.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    /// <summary>Saves the whole page as <paramref name="name"/>.png (replacing an older one).</summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"{name}.png"), FullPage = true });
    }

    /// <summary>Saves one element (a figure, a form) as <paramref name="name"/>.png (replacing an older one).</summary>
    public static async Task SaveAsync(ILocator element, string name)
    {
        ArgumentNullException.ThrowIfNull(element);
        Directory.CreateDirectory(Folder);
        await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Folder, $"{name}.png") });
    }

    /// <summary>The repository's root folder (where PrintFlow.slnx is), or the temporary folder outside a checkout.</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PrintFlow.slnx")))
            {
                return directory.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
