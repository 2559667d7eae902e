using PrintFlow.Contracts;
using PrintFlow.Geometry;
using PrintFlow.ModelStorage;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Handlers;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Observability;
using PrintFlow.Slicing;

namespace PrintFlow.Pricing.Exact;

/// <summary>
/// Prices an order again with PrusaSlicer's figures for its FDM parts. Resin parts keep the estimate (no resin
/// slicer here) and say so. Throws <see cref="SlicerException"/> (or <see cref="PrintFlow.Geometry.ModelFormatException"/>)
/// when the exact figures cannot be had.
/// </summary>
public sealed class ExactRefiner(
    IModelStore models, ModelAnalyzer analyzer, AnalysisScheduler scheduler, Quoter quoter, ExactSlicer slicer, PrintFlowMetrics metrics)
{
    public const string ResinKeepsEstimate = "Resin parts are priced by the estimate: exact mode slices FDM parts only.";

    public async Task<QuoteSummary> RefineAsync(PriceRequested request, CancellationToken cancellationToken)
    {
        var requests = new List<QuoteItemRequest>(request.Items.Count);
        var notes = new List<string?>(request.Items.Count);
        foreach (var item in request.Items)
        {
            var analysis = await analyzer.AnalyzeAsync(item.ModelSha256, item.FileName, cancellationToken);
            var material = quoter.Options.FindMaterial(item.Material)
                ?? throw new SlicerException(SlicerException.Failed, $"The material '{item.Material}' of {item.FileName} is no longer offered.");
            var printer = quoter.Options.FindPrinter(material.Printer)!;
            PrintEstimate? exact = null;
            if (printer.Technology == PrintTechnology.Fdm)
            {
                // The slicer gets the mesh as parsed (written out as STL), never the stored file: a 3MF's packed slicer
                // configuration would run its post_process. Read like the analysis, on the same bounded scheduler.
                using var file = await models.OpenFileAsync(item.ModelSha256, cancellationToken);
                var mesh = await scheduler.RunAsync(file.SizeBytes, () => ModelReader.Read(file.Path), cancellationToken);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                SliceResult slice;
                try
                {
                    slice = await slicer.SliceAsync(mesh, cancellationToken);
                }
                catch (SlicerException failure)
                {
                    metrics.ExactSlicerDuration(failure.Code, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                    throw;
                }

                metrics.ExactSlicerDuration("sliced", System.Diagnostics.Stopwatch.GetElapsedTime(started));
                exact = ExactSlicer.ToEstimate(slice, analysis, material, printer);
            }

            requests.Add(new QuoteItemRequest(item.FileName, analysis, item.Material, item.Quantity, exact, item.Colour, item.Quality));
            notes.Add(exact is null ? ResinKeepsEstimate : null);
        }

        var outcome = quoter.Quote(new QuoteRequest(requests, request.LeadTime.ToString()));
        if (outcome.Quote is not { } quote)
        {
            // The estimate was quoted, so only a changed price list gets here.
            throw new SlicerException(SlicerException.Failed,
                "The exact figures could not be priced: " + string.Join(" ", outcome.Rejections.Select(r => r.Reason)));
        }

        return QuoteSummaries.From(quote, request.Items, requests, PrintEstimate.ExactMode, notes);
    }
}
