using PrintFlow.Geometry;
using PrintFlow.Pricing.Core;
using PrintFlow.Slicing;

namespace PrintFlow.Cli;

/// <summary>Analyse, optionally slice, and price one model: the same steps the Pricing service takes.</summary>
internal static class QuoteCommand
{
    public static async Task<QuoteReport> RunAsync(QuoteArguments args, PricingOptions options, ExactSlicerOptions slicerOptions, CancellationToken ct)
    {
        if (!File.Exists(args.File))
            throw new CliError("file.not-found", $"The file '{args.File}' does not exist.");
        var quoter = new Quoter(options);
        var material = options.FindMaterial(args.Material)
            ?? throw new CliError(PricingCodes.UnknownMaterial,
                $"The material '{args.Material}' is not offered; choose one of {string.Join(", ", options.Materials.Keys)}.");
        var printer = options.FindPrinter(material.Printer)!;
        var build = printer.BuildVolumeMm;
        // Checked before analysing: there is no point reading a large file for a request that cannot be served.
        if (args.Exact && printer.Technology != PrintTechnology.Fdm)
            throw new CliError(SlicerException.UnsupportedTechnology,
                $"Exact pricing is available for FDM materials only; {args.Material} is priced by the estimate (drop --exact).");
        if (args.Exact && slicerOptions.Validate() is [var invalid, ..])
            throw new CliError("cli.invalid-slicer-options", "Exact mode is misconfigured: " + invalid);

        MeshAnalysis analysis;
        Mesh? mesh = null;
        try
        {
            // Threads: 2 by default (QuoteArguments); under heavy CPU contention --threads 1 can be faster.
            var read = new ReadOptions { Units = args.Units, MaxDegreeOfParallelism = args.Threads };
            var analyse = new AnalysisOptions { BuildVolumeMm = new Vector3d(build.X, build.Y, build.Z), MaxDegreeOfParallelism = args.Threads };
            if (args.Exact)
            {
                // Exact mode keeps the parsed mesh: the slicer gets it written out as STL, never the file as it came.
                (mesh, analysis) = ModelAnalysis.ReadAndAnalyzeFile(args.File, read, analyse, args.Timeout, ct);
            }
            else analysis = ModelAnalysis.AnalyzeFile(args.File, read, analyse, args.Timeout, ct);
        }
        catch (ModelFormatException e)
        {
            throw new CliError(e.Code, e.Message);
        }

        var name = Path.GetFileName(args.File);
        var rejection = quoter.Check(name, analysis, args.Material);
        if (rejection is not null)
            return new QuoteReport(args, analysis, rejection.Code != PricingCodes.TooBigForPrinter, null, null, rejection, analysis.Warnings);

        PrintEstimate? exact = null;
        if (mesh is not null)
        {
            try
            {
                var slice = await new ExactSlicer(slicerOptions).SliceAsync(mesh, ct);
                exact = ExactSlicer.ToEstimate(slice, analysis, material, printer);
            }
            catch (SlicerException e)
            {
                throw new CliError(e.Code, e.Message);
            }
        }

        var outcome = quoter.Quote(new QuoteRequest([new QuoteItemRequest(name, analysis, args.Material, args.Quantity, exact)], args.LeadTime));
        if (!outcome.IsQuoted)
        {
            var r = outcome.Rejections[0];
            return new QuoteReport(args, analysis, true, null, null, r, analysis.Warnings);
        }
        var item = outcome.Quote!.Items[0];
        return new QuoteReport(args, analysis, true, item, outcome.Quote, null, item.Warnings);
    }
}
