using PrintFlow.Observability.Tests.Support;

namespace PrintFlow.Observability.Tests;

/// <summary>deploy/k8s: every overlay rendered and validated offline by its own check script (kubectl, node).</summary>
[Trait("Category", "Tools")]
public sealed class KubernetesManifestTests
{
    [Fact]
    public async Task CheckScript_RendersAndValidatesEveryOverlay()
    {
        var (exitCode, output) = await Tool.RunAsync("bash", [Path.Combine(Repository.Root, "deploy", "k8s", "check.sh")],
            Repository.Root, timeout: TimeSpan.FromMinutes(6));

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"checks passed=\d+ failed=0", output);
        foreach (var overlay in new[] { "dev", "staging", "prod" })
        {
            Assert.Contains($"ok    {overlay} renders", output);
        }
    }
}

/// <summary>The PrometheusRule is generated from deploy/observability/rules; a rule changed without regenerating fails here first.</summary>
public sealed class PrometheusRuleGenerationTests
{
    [Fact]
    public async Task Generate_WhenRunNow_WritesExactlyTheCommittedPrometheusRule()
    {
        var k8s = Path.Combine(Repository.Root, "deploy", "k8s");

        var (exitCode, output) = await Tool.RunAsync("bash", [Path.Combine(k8s, "generate-prometheusrule.sh"), "--stdout"], k8s);

        Assert.Equal(0, exitCode);
        Assert.True(output == File.ReadAllText(Path.Combine(k8s, "base", "prometheusrule.yaml")),
            "deploy/k8s/base/prometheusrule.yaml is stale: run deploy/k8s/generate-prometheusrule.sh");
    }
}
