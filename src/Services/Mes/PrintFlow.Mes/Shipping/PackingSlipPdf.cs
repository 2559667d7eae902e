using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using PdfSharp.WPFonts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.ServiceDefaults.Shipping;
using QRCoder;

namespace PrintFlow.Mes.Shipping;

/// <summary>
/// The packing slip as a PDF (<c>GET /mes/jobs/{jobId}/packing-slip.pdf</c>): the same order number, address, items and
/// QR code as the printable page, for printers and label stations that take files rather than web pages.
/// </summary>
public static class PackingSlipPdf
{
    /// <summary>At most this many item lines on the one page; the rest are counted, as the slip goes in the parcel, not the books.</summary>
    private const int MaxItemLines = 30;

    static PackingSlipPdf()
    {
        // PDFsharp takes one resolver per process, before any text is drawn; the fonts ship inside PDFsharp, so a
        // server without fonts (a container) still makes the slip, Cyrillic addresses included.
        GlobalFontSettings.FontResolver ??= BundledFonts.Instance;
    }

    public static async Task<Results<FileContentHttpResult, NotFound>> GetAsync(
        Guid jobId, MesDbContext db, IOptions<MesOptions> options, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().Include(j => j.Items).FirstOrDefaultAsync(j => j.JobId == jobId, cancellationToken);
        return job is null
            ? TypedResults.NotFound()
            : TypedResults.File(Render(job, options.Value), "application/pdf", $"packing-slip-{job.OrderNumber}.pdf");
    }

    public static byte[] Render(ManufacturingJob job, MesOptions options)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"Packing slip {job.OrderNumber}";
        document.Info.Subject = job.OrderNumber;
        document.Info.Creator = "PrintFlow MES";
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var title = new XFont(BundledFonts.Family, 18, XFontStyleEx.Bold);
            var heading = new XFont(BundledFonts.Family, 12, XFontStyleEx.Bold);
            var body = new XFont(BundledFonts.Family, 10, XFontStyleEx.Regular);
            const double left = 50;
            var y = 60.0;

            void Line(string text, XFont font, double x = left, double step = 15)
            {
                gfx.DrawString(text, font, XBrushes.Black, new XPoint(x, y));
                y += step;
            }

            Line("Packing slip · Упаковочный лист", title, step: 28);
            Line($"Order · Заказ {job.OrderNumber} · {job.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", heading, step: 26);

            var qrTop = y;
            Line("Ship to · Получатель", heading, step: 17);
            foreach (var text in job.ShipTo is { } shipTo ? ShippingAddressRules.Lines(shipTo) : ["No address on this order. В заказе нет адреса."])
            {
                Line(text, body);
            }

            DrawQr(gfx, PackingSlip.QrContent(job, options), page.Width.Point - left - 140, qrTop - 12, 140);

            gfx.DrawString(PackingSlip.QrContent(job, options), new XFont(BundledFonts.Family, 7, XFontStyleEx.Regular), XBrushes.Black,
                new XPoint(page.Width.Point - left - 140, qrTop + 140));
            y = Math.Max(y, qrTop + 160);

            Line("Items · Состав", heading, step: 17);
            Line("Model · Модель", heading, step: 0);
            Line("Material · Материал", heading, x: 330, step: 0);
            Line("Quantity · Кол-во", heading, x: 440);
            foreach (var item in job.Items.Take(MaxItemLines))
            {
                Line(Shorten(item.FileName, 48), body, step: 0);
                Line(item.Material, body, x: 330, step: 0);
                Line(item.Quantity.ToString(CultureInfo.InvariantCulture), body, x: 440);
            }

            if (job.Items.Count > MaxItemLines)
            {
                Line($"… and {job.Items.Count - MaxItemLines} more models · и ещё {job.Items.Count - MaxItemLines}", body);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>The QR code drawn as squares (vector, sharp at any print size) from QRCoder's module matrix.</summary>
    private static void DrawQr(XGraphics gfx, string content, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var cell = size / modules.Count;
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules[row].Length; column++)
            {
                if (modules[row][column])
                {
                    // A hair wider than the cell, so neighbouring squares leave no white seam in viewers.
                    gfx.DrawRectangle(XBrushes.Black, x + column * cell, y + row * cell, cell + 0.05, cell + 0.05);
                }
            }
        }
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>The Segoe WP faces bundled with PDFsharp (Latin and Cyrillic), for every family asked.</summary>
    private sealed class BundledFonts : IFontResolver
    {
        public const string Family = "Segoe WP";
        public static readonly BundledFonts Instance = new();

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "SegoeWP-Bold" : "SegoeWP", mustSimulateBold: false, mustSimulateItalic: italic);

        public byte[]? GetFont(string faceName) => faceName == "SegoeWP-Bold" ? FontDataHelper.SegoeWPBold : FontDataHelper.SegoeWP;
    }
}
