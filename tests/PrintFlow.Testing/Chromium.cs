using Microsoft.Playwright;

namespace PrintFlow.Testing;

/// <summary>
/// Debian's Chromium driven by Playwright: no browser download. The flags keep it from reaching for the network
/// this machine does not have.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The browser's language by default; the product itself defaults to Russian.</summary>
    public const string Locale = "en-US";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        PrintFlow.Testing.Infrastructure.FastLoop.Refuse("Chromium", "Browser");
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install Debian's chromium (./test.sh and .ci/run do it).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                // WebGL (the Shop's 3D preview) drawn on the CPU, as there is no GPU here.
                "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                // English unless a test asks for another language (a context's Locale): tests assert English text.
                $"--lang={Locale}", $"--accept-lang={Locale},en",
            ],
        });
        return (playwright, browser);
    }
}
