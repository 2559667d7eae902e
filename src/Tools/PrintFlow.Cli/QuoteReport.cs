using PrintFlow.Geometry;
using PrintFlow.Pricing.Core;

namespace PrintFlow.Cli;

/// <summary>Everything <c>printflow quote</c> prints, whichever the format.</summary>
internal sealed record QuoteReport(
    QuoteArguments Arguments,
    MeshAnalysis Analysis,
    bool FitsBuildVolume,
    QuotedItem? Item,
    Quote? Quote,
    QuoteRejection? Rejection,
    IReadOnlyList<ModelWarning> Warnings);
