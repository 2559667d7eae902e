using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Tests;

public class PricingOptionsBindingTests
{
    /// <summary>The JSON snippet that docs/pricing-calibration.md tells operators to copy.</summary>
    private static IConfiguration DocumentedConfiguration()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pricing-calibration.md"));
        var start = doc.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
        return new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
    }

    [Fact]
    public void Bind_WhenDocumentedJson_EqualsBuiltInDefaultAndValidates()
    {
        var bound = new PricingOptions();
        DocumentedConfiguration().GetSection(PricingOptions.SectionName).Bind(bound);

        Assert.Empty(bound.Validate());
        // Same values as the code's default: the document cannot drift from what the CLI uses.
        Assert.Equal(Canonical(PricingOptions.Default), Canonical(bound));
    }

    // Configuration orders dictionary keys alphabetically; compare content, not insertion order.
    private static string Canonical(PricingOptions options) => Sorted(JsonNode.Parse(JsonSerializer.Serialize(options)))!.ToJsonString();

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    [Fact]
    public void Bind_WhenDocumentedJson_ReadsExactSlicerOptions()
    {
        var slicer = new ExactSlicerOptions();
        DocumentedConfiguration().GetSection(ExactSlicerOptions.SectionName).Bind(slicer);

        Assert.Equal(TimeSpan.FromMinutes(3), slicer.Timeout);
        Assert.Equal("prusa-slicer", slicer.ExecutablePath);
    }

    [Fact]
    public void Bind_WhenMaterialKeyInOtherCase_FindsItCaseInsensitively()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pricing:Materials:nylon:Technology"] = "Fdm",
            ["Pricing:Materials:nylon:Printer"] = "MK3S",
            ["Pricing:Materials:nylon:DensityGPerCm3"] = "1.14",
            ["Pricing:Materials:nylon:PricePerGram"] = "0.09",
        }).Build();
        var options = PricingOptions.Default;

        config.GetSection(PricingOptions.SectionName).Bind(options);

        Assert.Equal(0.09m, options.FindMaterial("NYLON")!.PricePerGram);
        Assert.Empty(options.Validate());
    }
}
