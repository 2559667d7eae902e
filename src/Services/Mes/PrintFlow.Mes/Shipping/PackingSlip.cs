using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using QRCoder;

namespace PrintFlow.Mes.Shipping;

/// <summary>What the packing slip's QR code holds, and the code itself as a PNG.</summary>
public static class PackingSlip
{
    /// <summary>
    /// A shop order's page on the Shop's public address (the customer scans it to follow the parcel); a partner order
    /// has no Shop page, so its code holds the order number.
    /// </summary>
    public static string QrContent(ManufacturingJob job, MesOptions options) => job.Channel == SalesChannel.Shop
        ? $"{options.ShopPublicUrl.TrimEnd('/')}/orders/{job.OrderId}"
        : $"PrintFlow {job.OrderNumber}";

    public static byte[] QrPng(string content)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }

    /// <summary><c>GET /mes/jobs/{jobId}/packing-slip/qr.png</c>.</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> QrAsync(
        Guid jobId, MesDbContext db, IOptions<MesOptions> options, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.JobId == jobId, cancellationToken);
        return job is null ? TypedResults.NotFound() : TypedResults.File(QrPng(QrContent(job, options.Value)), "image/png");
    }
}
