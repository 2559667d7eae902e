using PrintFlow.Contracts;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Data;

namespace PrintFlow.Pricing.Handlers;

/// <summary>
/// Prices a shop cart on the same analysis (cached by content) and price list as an order, but item by item: a model
/// that cannot be read or printed gets its reason, and the others are still priced, so the buyer sees what to fix.
/// </summary>
public sealed class CartQuoteRequestedHandler(
    PricingDbContext db, ModelAnalyzer analyzer, Quoter quoter, TimeProvider clock)
    : IIntegrationEventHandler<CartQuoteRequested>
{
    /// <summary>The model fits none of the printers, whatever the material.</summary>
    public const string TooBigForAnyPrinter = "model.too-big-for-any-printer";

    public async Task HandleAsync(CartQuoteRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        var options = quoter.Options;
        var answers = new CartItemQuote?[message.Items.Count];
        var priceable = new List<(int Index, QuoteItemRequest Request, MeshAnalysis Analysis)>();
        for (var index = 0; index < message.Items.Count; index++)
        {
            var item = message.Items[index];
            MeshAnalysis analysis;
            try
            {
                analysis = await analyzer.AnalyzeAsync(item.ModelSha256, item.FileName, cancellationToken);
            }
            catch (ModelFormatException unreadable)
            {
                answers[index] = Refused(item, null, unreadable.Code, unreadable.Message, null);
                continue;
            }

            var colour = item.Colour ?? options.FindMaterial(item.Material)?.Colours.Keys.FirstOrDefault();
            var request = new QuoteItemRequest(item.FileName, analysis, item.Material, item.Quantity, Colour: colour, Quality: item.Quality);
            var size = QuoteSummaries.SizeOf(analysis);
            var rejection = item.Quantity < 1
                ? new QuoteRejection(item.FileName, PricingCodes.BadQuantity, $"The quantity must be at least 1, not {item.Quantity}.",
                    "quantity", [item.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                : quoter.Check(item.FileName, analysis, item.Material) ?? quoter.CheckChoices(request);
            if (rejection is not null)
            {
                var code = rejection.Code == PricingCodes.TooBigForPrinter && !options.Materials.Keys.Any(m => quoter.Check(item.FileName, analysis, m) is null)
                    ? TooBigForAnyPrinter
                    : rejection.Code;
                answers[index] = Refused(item, size, code, rejection.Reason, colour) with
                {
                    RejectionWording = code == rejection.Code ? QuoteSummaries.Wording(rejection, withItem: false) : null,
                };
                continue;
            }

            priceable.Add((index, request, analysis));
        }

        IReadOnlyList<QuoteLine> orderLines = [];
        decimal? total = null;
        if (priceable.Count > 0)
        {
            var outcome = quoter.Quote(new QuoteRequest([.. priceable.Select(p => p.Request)], message.LeadTime.ToString()));
            if (outcome.Quote is { } quote)
            {
                for (var i = 0; i < priceable.Count; i++)
                {
                    var quoted = quote.Items[i];
                    var (index, request, analysis) = priceable[i];
                    var warnings = quoted.Warnings.Select(w => new ModelNote(w.Code, w.Message)).ToList();
                    if (quoted.Estimate.SupportVolumeCm3 > 0)
                    {
                        warnings.Add(new ModelNote(PricingCodes.NeedsSupport, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"Overhangs need about {quoted.Estimate.SupportVolumeCm3:0.0} cm³ of support material per part, removed by hand; it leaves marks on the surfaces it touched.")));
                    }

                    answers[index] = new CartItemQuote(message.Items[index].ItemId, quoted.Amount,
                        [.. quoted.Lines.Select(l => new QuoteLine(l.Description, l.Amount, l.Kind, l.Names, l.Numbers))], QuoteSummaries.SizeOf(analysis),
                        quoted.Estimate.PrintHours, quoted.Estimate.MaterialGrams, warnings, null, null, request.Colour);
                }

                orderLines = [.. quote.Lines.Skip(quote.Items.Sum(i => i.Lines.Count)).Select(l => new QuoteLine(l.Description, l.Amount, l.Kind, l.Names, l.Numbers))];
                total = quote.Total;
            }
            else
            {
                // Each item passed its own checks, so only the order as a whole (its lead time) is refused here.
                foreach (var (index, request, analysis) in priceable)
                {
                    var first = outcome.Rejections[0];
                    answers[index] = Refused(message.Items[index], QuoteSummaries.SizeOf(analysis), first.Code, first.Reason, request.Colour) with
                    {
                        RejectionWording = QuoteSummaries.Wording(first, withItem: false),
                    };
                }
            }
        }

        db.Publish(new CartQuoted(message.OrderId, message.Revision, options.Currency, [.. answers.Select(a => a!)], orderLines, total,
            Catalogue(options), clock.GetUtcNow()), clock);
    }

    private static CartItemQuote Refused(OrderItem item, PartSize? size, string code, string reason, string? colour) =>
        new(item.ItemId, null, [], size, null, null, [], code, reason, colour);

    /// <summary>What a buyer may choose, straight from the price list in force.</summary>
    public static PriceCatalogue Catalogue(PricingOptions options) => new(
        options.Currency,
        [.. options.Materials.Select(m => new CatalogueMaterial(m.Key, [.. m.Value.Colours.Select(c => new CatalogueColour(c.Key, c.Value))]))],
        [.. options.Qualities.Keys],
        [.. options.LeadTimeMultipliers.Keys.Select(l => new CatalogueLeadTime(l, options.LeadTimeDays.GetValueOrDefault(l, 10)))]);
}
