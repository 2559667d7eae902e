using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Partners;

public sealed class PartnersOptions
{
    public const string Section = "Partners";

    /// <summary>Requests a partner may make per minute unless its account sets its own limit.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Model files one order may carry.</summary>
    [Range(1, 100)]
    public int MaxModelsPerOrder { get; set; } = 20;
}
