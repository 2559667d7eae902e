using System.Buffers.Binary;
using System.IO.Compression;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace PrintFlow.Host.Tests;

/// <summary>Reads the text of a QR code in a PNG, as a phone would: the PNG is decoded to grey pixels and ZXing finds the code.</summary>
internal static class QrImage
{
    public static string Decode(byte[] png)
    {
        var (width, height, grey) = ReadPng(png);
        var source = new RGBLuminanceSource(grey, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        // A generated code is a pure barcode (no perspective, a quiet zone): read it as such first, then search harder.
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true })
            ?? new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true })
            ?? new QRCodeReader().decode(new BinaryBitmap(new GlobalHistogramBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });
        return result?.Text ?? throw new InvalidDataException("No QR code was found in the image.");
    }

    /// <summary>A small PNG reader for what QR generators write: grey, RGB or palette, 1 or 8 bits, unfiltered or Sub/Up rows.</summary>
    private static (int Width, int Height, byte[] Grey) ReadPng(byte[] png)
    {
        int width = 0, height = 0, bitDepth = 0, colorType = 0;
        byte[] palette = [];
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            at += 12 + length;
        }

        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new NotSupportedException($"PNG colour type {colorType}") };
        var bitsPerPixel = channels * bitDepth;
        var stride = (width * bitsPerPixel + 7) / 8;
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        var previous = new byte[stride];
        var grey = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                var left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                row[i] = filter switch
                {
                    0 => row[i],
                    1 => (byte)(row[i] + left),
                    2 => (byte)(row[i] + previous[i]),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                };
            }

            for (var x = 0; x < width; x++)
            {
                int sample(int channel)
                {
                    if (bitDepth == 8)
                    {
                        return row[x * channels + channel];
                    }

                    var bit = x * bitsPerPixel + channel * bitDepth;
                    var value = (row[bit / 8] >> (8 - bitDepth - bit % 8)) & ((1 << bitDepth) - 1);
                    return colorType == 3 ? value : value * 255 / ((1 << bitDepth) - 1);
                }

                grey[y * width + x] = colorType switch
                {
                    0 or 4 => (byte)sample(0),
                    2 or 6 => (byte)((sample(0) + sample(1) + sample(2)) / 3),
                    _ => (byte)((palette[sample(0) * 3] + palette[sample(0) * 3 + 1] + palette[sample(0) * 3 + 2]) / 3),
                };
            }

            previous = row;
        }

        return (width, height, grey);
    }
}
