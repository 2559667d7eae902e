using System.Diagnostics;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Testing;
using Xunit.Abstractions;

namespace PrintFlow.Observability.Tests;

/// <summary>
/// The watched deployment end to end: deploy/local/up.sh --observability with every service its own process, orders
/// flowing, Pricing stopped; the stuck-orders alert must reach the on-call's webhook and mailbox (real HTTP and SMTP
/// receivers), and its resolution too once Pricing is back. It starts the machine's one deployment, so it runs only
/// from deploy/observability/alert-e2e.sh (which sets PRINTFLOW_ALERT_E2E=1), never inside the whole test run.
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "Infrastructure")]
public sealed class AlertEndToEndTests(ITestOutputHelper output)
{
    private const int Port = 8083;
    private static readonly string Root = Repository.Root;
    private static readonly string Artifacts = Path.Combine(Root, "artifacts", "bench", "alerts");
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [DeploymentFact]
    public async Task StopPricing_WhenOrdersFlow_StuckAlertReachesWebhookAndEmailThenResolves()
    {
        Directory.CreateDirectory(Artifacts);
        await using var receivers = new AlertReceivers();
        await receivers.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["PRINTFLOW_ONCALL_EMAIL"] = "on-call@printflow.test",
            ["PRINTFLOW_ONCALL_WEBHOOK"] = receivers.WebhookUrl.ToString(),
            ["Notifications__Smtp__Host"] = "127.0.0.1",
            ["Notifications__Smtp__Port"] = receivers.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications__Smtp__Security"] = "None",
            // The test's timing only: an order is stuck after 20 s in PriceCalculating, and alerts fire after 10 s.
            ["Ordering__Deadlines__PriceCalculating"] = "00:00:20",
            ["Ordering__WatchdogInterval"] = "00:00:05",
            ["PRINTFLOW_OBSERVABILITY_INTERVAL"] = "2s",
            ["PRINTFLOW_ALERT_FOR"] = "10s",
            ["PRINTFLOW_ALERT_GROUP_WAIT"] = "1s",
            ["PRINTFLOW_ALERT_GROUP_INTERVAL"] = "5s",
        };

        Process? load = null;
        try
        {
            await RunAsync("build the load generator", "source bench/lib.sh && build_load", settings, TimeSpan.FromMinutes(5));
            await RunAsync("deploy", $"deploy/local/down.sh && deploy/local/up.sh --fresh --observability --port {Port} --web 1 --pricing 2",
                settings, TimeSpan.FromMinutes(12));

            load = StartLoad();
            using var prometheus = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9090") };
            await Eventually.UntilAsync(
                () => QueryAsync(prometheus, "sum(printflow_orders_in_state{state=\"ManufacturingApproved\"})"), v => v > 0,
                "Prometheus scrapes Ordering and sees approved orders", TimeSpan.FromMinutes(2));
            Step("orders flow and Prometheus scrapes them");

            await RunAsync("stop Pricing", "for pid in $(awk '$1 ~ /^pricing-/ {print $2}' deploy/local/.run/pids); do kill -TERM $pid; " +
                "while kill -0 $pid 2>/dev/null; do sleep 0.2; done; done", settings, TimeSpan.FromMinutes(1));
            await Eventually.UntilAsync(
                () => receivers.Has("webhook", "PrintFlowOrdersStuck", "firing") && receivers.Has("email", "PrintFlowOrdersStuck", "firing"),
                "the stuck-orders alert reaches the webhook and the email receiver", TimeSpan.FromMinutes(3));
            Step("PrintFlowOrdersStuck firing reached the webhook and the mailbox");

            await RunAsync("restart Pricing", "deploy/local/restart.sh pricing-1 pricing-2", settings, TimeSpan.FromMinutes(3));
            await Eventually.UntilAsync(
                () => receivers.Has("webhook", "PrintFlowOrdersStuck", "resolved") && receivers.Has("email", "PrintFlowOrdersStuck", "resolved"),
                "the stuck-orders alert resolves at the webhook and the email receiver", TimeSpan.FromMinutes(3));
            Step("PrintFlowOrdersStuck resolved reached the webhook and the mailbox");

            using var settle = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await load.WaitForExitAsync(settle.Token);
            var result = File.ReadLines(Path.Combine(Artifacts, "load.log")).LastOrDefault(l => l.Contains("RESULT", StringComparison.Ordinal)) ?? "";
            Step(result.Trim());
            Assert.Contains(" lost=0", result, StringComparison.Ordinal);
        }
        finally
        {
            if (load is { HasExited: false })
            {
                load.Kill(entireProcessTree: true);
            }

            load?.Dispose();
            foreach (var alert in receivers.Received)
            {
                Step($"received by {alert.Channel}: {alert.AlertName} {alert.Status}");
            }

            await RunAsync("stop the deployment", "deploy/local/down.sh", settings, TimeSpan.FromMinutes(2), check: false);
        }
    }

    private Process StartLoad()
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Root,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("PRINTFLOW_LOAD_KEY=$(cat deploy/local/.run/secrets/load-partner-key) exec artifacts/bench/load/printflow-load " +
            $"--url http://127.0.0.1:{Port} --rate 1 --duration 90 --settle-timeout 240 --label alerts " +
            "--out artifacts/bench/alerts/orders.tsv > artifacts/bench/alerts/load.log 2>&1");
        return Process.Start(start)!;
    }

    private static async Task<double> QueryAsync(HttpClient prometheus, string promql)
    {
        try
        {
            using var response = await prometheus.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var results = json.RootElement.GetProperty("data").GetProperty("result");
            return results.GetArrayLength() == 1
                ? double.Parse(results[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                : 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>A shell step from the repository root, its output appended to artifacts/bench/alerts/steps.log.</summary>
    private async Task RunAsync(string what, string command, Dictionary<string, string> environment, TimeSpan timeout, bool check = true)
    {
        var log = Path.Combine(Artifacts, "steps.log");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Root, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        // Output to a file, not a pipe: the processes the step leaves running would hold a pipe open.
        start.ArgumentList.Add($"root=\"$PWD\"; ( {command} ) >> '{log}' 2>&1 < /dev/null");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // nothing of a step outlives the test (and the deployment lock)
            Step($"{what}: still running after {timeout.TotalMinutes:0} min, stopped");
            throw new TimeoutException($"{what} took longer than {timeout.TotalMinutes:0} min; see artifacts/bench/alerts/steps.log");
        }

        Step($"{what}: exit {process.ExitCode}");
        if (check)
        {
            Assert.True(process.ExitCode == 0, $"{what} failed; see artifacts/bench/alerts/steps.log");
        }
    }

    private void Step(string line)
    {
        var text = $"+{_clock.Elapsed.TotalSeconds:0}s {line}";
        output.WriteLine(text);
        File.AppendAllText(Path.Combine(Artifacts, "steps.log"), "alerts: " + text + Environment.NewLine);
    }
}

/// <summary>A fact that runs only when PRINTFLOW_ALERT_E2E=1 (deploy/observability/alert-e2e.sh), as it takes the machine's deployment.</summary>
internal sealed class DeploymentFactAttribute : FactAttribute
{
    public DeploymentFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PRINTFLOW_ALERT_E2E") != "1")
        {
            Skip = "Starts the machine's one deployment: run deploy/observability/alert-e2e.sh (./test.sh runs it after the fault test).";
        }
    }
}
