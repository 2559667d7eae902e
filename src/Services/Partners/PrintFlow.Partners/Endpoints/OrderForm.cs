using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Uploads;

namespace PrintFlow.Partners.Endpoints;

/// <summary>A model file as received while the form was read: staged, not yet in the store.</summary>
internal sealed record UploadedModel(string FileName, StagedModel Staged)
{
    public string Sha256 => Staged.Sha256;
    public long SizeBytes => Staged.SizeBytes;
}

/// <summary>A problem found while reading or validating the order form.</summary>
internal sealed record FieldError(string Code, string Detail);

/// <summary>
/// The multipart/form-data of a new order, read section by section: model parts stream into the store's temporary
/// area (hashed on the way), text fields are read up to a small limit. Nothing is buffered whole, and nothing enters
/// the store until the endpoint commits the models of a valid order; disposing the form removes what it staged.
/// </summary>
internal sealed class OrderForm : IDisposable
{
    public const string ModelField = "model";
    public const string TooManyPartsCode = "request.too-many-parts";
    private const int MaxFieldChars = 2048; // a shippingAddress object at its longest fits

    public List<UploadedModel> Models { get; } = [];
    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<FieldError> Errors { get; } = [];

    /// <summary>Bytes staged so far, counted against the partner's upload quota.</summary>
    public long StagedBytes { get; private set; }

    public void Dispose()
    {
        foreach (var model in Models)
        {
            model.Staged.Dispose();
        }
    }

    /// <param name="byteBudget">Bytes all models together may have (the partner's quota left); past it, <see cref="QuotaExceededException"/>.</param>
    /// <exception cref="ModelTooLargeException">A model is larger than the store allows.</exception>
    /// <exception cref="QuotaExceededException">The models together are more than <paramref name="byteBudget"/>.</exception>
    /// <exception cref="InvalidDataException">The body is not well-formed multipart.</exception>
    public async Task ReadAsync(HttpRequest request, string boundary, IModelStore store, int maxModels, long maxModelBytes, long byteBudget, CancellationToken cancellationToken)
    {
        // The store enforces the size of each model; the reader's own per-section limit would cut large models off.
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null, HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        var parts = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (++parts > maxModels + RequestLimits.MaxFieldParts)
            {
                // Stop reading: a form with more parts than an order can have is not an order, whatever follows.
                Errors.Insert(0, new FieldError(TooManyPartsCode,
                    $"The form has more than {maxModels + RequestLimits.MaxFieldParts} parts; an order has at most {maxModels} model files and a few fields."));
                return;
            }

            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                await ReadModelAsync(name, disposition, section, store, maxModels, maxModelBytes, byteBudget, cancellationToken);
            }
            else if (name.Length > 0)
            {
                var value = await ReadLimitedAsync(section.Body, cancellationToken);
                if (value is null)
                {
                    Errors.Add(new FieldError("request.field-too-long", PartnersStrings.Get("Field.request.field-too-long", name, MaxFieldChars)));
                }
                else
                {
                    Fields[name] = value;
                }
            }
        }
    }

    private async Task ReadModelAsync(
        string name, ContentDispositionHeaderValue disposition, MultipartSection section, IModelStore store,
        int maxModels, long maxModelBytes, long byteBudget, CancellationToken cancellationToken)
    {
        if (!name.Equals(ModelField, StringComparison.OrdinalIgnoreCase))
        {
            Errors.Add(new FieldError("model.unexpected-file", PartnersStrings.Get("Field.model.unexpected-file", ModelField, name)));
            return;
        }

        if (Models.Count >= maxModels)
        {
            Errors.Add(new FieldError("model.too-many", PartnersStrings.Get("Field.model.too-many", maxModels)));
            return;
        }

        var rawName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
        if (string.IsNullOrEmpty(rawName))
        {
            rawName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
        }

        var fileName = Path.GetFileName((rawName ?? "").Replace('\\', '/')).Trim();
        if (fileName.Length is 0 or > 255)
        {
            Errors.Add(new FieldError("model.file-name-invalid", PartnersStrings.Get("Field.model.file-name-invalid")));
            return;
        }

        if (!ModelFormats.IsSupported(fileName))
        {
            Errors.Add(new FieldError("model.unsupported-format",
                PartnersStrings.Get("Field.model.unsupported-format", fileName, ModelFormats.Description)));
            return;
        }

        var budgetLeft = byteBudget - StagedBytes;
        StagedModel staged;
        try
        {
            staged = await store.StageAsync(section.Body, Math.Min(maxModelBytes, budgetLeft), cancellationToken);
        }
        catch (ModelTooLargeException) when (budgetLeft < maxModelBytes)
        {
            throw new QuotaExceededException();
        }

        if (staged.SizeBytes == 0)
        {
            staged.Dispose();
            Errors.Add(new FieldError("model.empty", PartnersStrings.Get("Field.model.empty", fileName)));
            return;
        }

        StagedBytes += staged.SizeBytes;
        Models.Add(new UploadedModel(fileName, staged));
    }

    /// <returns>The field's text, or null when it is longer than the limit.</returns>
    private static async Task<string?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        if (total > MaxFieldChars)
        {
            await body.CopyToAsync(Stream.Null, cancellationToken); // drain, so the next section can be read
            return null;
        }

        return new string(buffer, 0, total);
    }
}

/// <summary>The models of one request are more than the partner's upload quota has left.</summary>
internal sealed class QuotaExceededException() : Exception("The upload quota is used up.");

internal static class ModelFormats
{
    private static readonly string[] Extensions = [".stl", ".obj", ".3mf"];

    public const string Description = "STL, OBJ or 3MF";

    public static bool IsSupported(string fileName) =>
        Extensions.Contains(Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase);
}
