using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using PrintFlow.Contracts;
using PrintFlow.Pricing.Service.Tests.Support;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests;

/// <summary>
/// The ExactPricing feature flag, set in configuration only: on, an estimate records a job for the exact slicer; off,
/// the estimate is the whole answer. No slicer runs here (MaxConcurrent=0 leaves the jobs to other instances).
/// </summary>
public sealed class ExactPricingFlagTests
{
    public static TheoryData<string?, string?, bool> Switches => new()
    {
        { null, null, false },     // the test host's default (Pricing:Exact:Enabled=false), below
        { "true", null, true },    // FeatureManagement:ExactPricing
        { "false", null, false },
        { null, "true", true },    // the older Pricing:Exact:Enabled, kept as an alias
        { "false", "true", false }, // the flag overrides the alias
    };

    [Theory]
    [MemberData(nameof(Switches))]
    public async Task PriceRequested_WhenTheFlagIsSwitched_RecordsAnExactJobOnlyWhenOn(string? flag, string? alias, bool expected)
    {
        var settings = new Dictionary<string, string?> { ["Pricing:Exact:MaxConcurrent"] = "0" };
        if (flag is not null) settings["FeatureManagement:ExactPricing"] = flag;
        if (alias is not null) settings["Pricing:Exact:Enabled"] = alias;
        using var pricing = new PricingHost(settings);
        var request = PricingHost.Request(await pricing.ItemAsync(StlFiles.BinaryCube(20), "cube.stl"));

        await pricing.DispatchAsync(request);

        var quote = (await pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote;
        Assert.Equal("estimate", quote.Mode);
        Assert.Equal(expected, await pricing.ExactJobAsync(request.OrderId) is not null);
        Assert.Equal(expected, quote.IsRefining(DateTimeOffset.UtcNow));
        if (expected) Assert.InRange(quote.RefiningUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(2));
        Assert.Equal(expected, await pricing.Host.Services.GetRequiredService<IFeatureManager>().IsEnabledAsync(FeatureFlags.ExactPricing));
    }

    [Theory]
    [InlineData("/bin/sh", "/bin/sh", true)]                     // both tools found: exact pricing on by default
    [InlineData("/nonexistent/prusa-slicer", "/bin/sh", false)]  // no slicer: the estimate is the whole answer
    [InlineData("/bin/sh", "/nonexistent/prlimit", false)]       // no prlimit: the slicer could not be fenced
    public async Task FeatureFlags_WhenNotConfigured_HaveTheirDocumentedDefaults(string slicer, string prlimit, bool exact)
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["Pricing:Exact:Enabled"] = null, // not configured: the flag follows whether the tools are installed
            ["Pricing:Exact:MaxConcurrent"] = "0",
            ["Pricing:ExactSlicer:ExecutablePath"] = slicer,
            ["Pricing:ExactSlicer:PrlimitPath"] = prlimit,
        });
        var features = host.Services.GetRequiredService<IFeatureManager>();

        Assert.Equal(exact, await features.IsEnabledAsync(FeatureFlags.ExactPricing));
        Assert.True(await features.IsEnabledAsync(FeatureFlags.PartnerWebhooks));
        Assert.True(await features.IsEnabledAsync(FeatureFlags.ShopInstantQuote));
        Assert.True(await features.IsEnabledAsync(FeatureFlags.Plates));
    }
}
