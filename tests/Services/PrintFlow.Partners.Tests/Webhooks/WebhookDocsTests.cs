using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PrintFlow.Partners.Webhooks;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>The Python and Node verification snippets of docs/partner-api.md, run as written against PrintFlow's signatures.</summary>
[Trait("Category", "Tools")]
public sealed class WebhookDocsTests
{
    private const string Secret = "whsec_docs-test-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"5f1c2a9e\",\"type\":\"order.status_changed\",\"data\":{\"status\":\"Shipped\",\"version\":13}}");

    [Theory]
    [InlineData("python", "python3", "import sys\n{0}\nprint(verify(sys.argv[1], sys.argv[2], open(sys.argv[3], 'rb').read()))\n", ".py")]
    [InlineData("node", "node", "{0}\nconst fs = require('node:fs');\nconsole.log(verify(process.argv[2], process.argv[3], fs.readFileSync(process.argv[4])) ? 'True' : 'False');\n", ".js")]
    public async Task Snippet_WhenGivenPrintFlowsSignature_AcceptsItAndRejectsForgeriesAndReplays(string marker, string program, string harness, string extension)
    {
        var snippet = Snippet(marker);
        var script = Path.Combine(Path.GetTempPath(), $"printflow-verify-{Guid.NewGuid():N}{extension}");
        var body = Path.ChangeExtension(script, ".json");
        await File.WriteAllTextAsync(script, string.Format(System.Globalization.CultureInfo.InvariantCulture, harness, snippet));
        await File.WriteAllBytesAsync(body, Body);
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var signed = WebhookSignature.Sign([Encoding.UTF8.GetBytes(Secret)], now, Body);
            var rotated = WebhookSignature.Sign([Encoding.UTF8.GetBytes("whsec_new"), Encoding.UTF8.GetBytes(Secret)], now, Body);
            var old = WebhookSignature.Sign([Encoding.UTF8.GetBytes(Secret)], now - 600, Body);

            Assert.Equal("True", await RunAsync(program, script, Secret, signed, body));
            Assert.Equal("True", await RunAsync(program, script, Secret, rotated, body)); // the old secret during a rotation
            Assert.Equal("False", await RunAsync(program, script, "whsec_wrong", signed, body));
            Assert.Equal("False", await RunAsync(program, script, Secret, old, body)); // a replay ten minutes later
            Assert.Equal("False", await RunAsync(program, script, Secret, $"t={now},v1={new string('0', 64)}", body));
        }
        finally
        {
            File.Delete(script);
            File.Delete(body);
        }
    }

    [Fact]
    public void Docs_SignatureExample_IsWhatPrintFlowSigns() =>
        Assert.Equal("t=1767225600,v1=84735707d40f99c717fca15841b49ff0f5cc4c9a5e0894df10432ced79aa118a",
            WebhookSignature.Sign([Encoding.UTF8.GetBytes("whsec_test")], 1767225600, Encoding.UTF8.GetBytes("{\"id\":\"evt\"}")));

    private static string Snippet(string marker)
    {
        var docs = File.ReadAllText(Path.Combine(Root(), "docs", "partner-api.md"));
        var match = Regex.Match(docs, $"<!-- verify:{marker} -->\\s*```\\w*\\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/partner-api.md has no snippet marked verify:{marker}");
        return match.Groups["code"].Value;
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrintFlow.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (PrintFlow.slnx) was not found above the test binaries.");
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
        return output.Trim();
    }
}
