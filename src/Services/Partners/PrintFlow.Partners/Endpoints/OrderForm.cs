using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Endpoints;

/// <summary>A model file as stored while the form was read.</summary>
internal sealed record UploadedModel(string FileName, string Sha256, long SizeBytes);

/// <summary>A problem found while reading or validating the order form.</summary>
internal sealed record FieldError(string Code, string Detail);

/// <summary>
/// The multipart/form-data of a new order, read section by section: model parts stream straight into the model
/// store (hashed on the way), text fields are read up to a small limit. Nothing is buffered whole.
/// </summary>
internal sealed class OrderForm
{
    public const string ModelField = "model";
    private const int MaxFieldChars = 1024;

    public List<UploadedModel> Models { get; } = [];
    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<FieldError> Errors { get; } = [];

    /// <exception cref="ModelTooLargeException">A model is larger than the store allows.</exception>
    /// <exception cref="InvalidDataException">The body is not well-formed multipart.</exception>
    public static async Task<OrderForm> ReadAsync(HttpRequest request, string boundary, IModelStore store, int maxModels, CancellationToken cancellationToken)
    {
        var form = new OrderForm();
        // The store enforces the size of each model; the reader's own per-section limit would cut large models off.
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                await form.ReadModelAsync(name, disposition, section, store, maxModels, cancellationToken);
            }
            else if (name.Length > 0)
            {
                var value = await ReadLimitedAsync(section.Body, cancellationToken);
                if (value is null)
                {
                    form.Errors.Add(new FieldError("request.field-too-long", $"The field '{name}' is longer than {MaxFieldChars} characters."));
                }
                else
                {
                    form.Fields[name] = value;
                }
            }
        }

        return form;
    }

    private async Task ReadModelAsync(
        string name, ContentDispositionHeaderValue disposition, MultipartSection section, IModelStore store, int maxModels, CancellationToken cancellationToken)
    {
        if (!name.Equals(ModelField, StringComparison.OrdinalIgnoreCase))
        {
            Errors.Add(new FieldError("model.unexpected-file", $"Files belong in form parts named '{ModelField}', not '{name}'."));
            return;
        }

        if (Models.Count >= maxModels)
        {
            Errors.Add(new FieldError("model.too-many", $"An order may carry at most {maxModels} model files."));
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
            Errors.Add(new FieldError("model.file-name-invalid", "Every model file needs a file name of at most 255 characters."));
            return;
        }

        if (!ModelFormats.IsSupported(fileName))
        {
            Errors.Add(new FieldError("model.unsupported-format",
                $"'{fileName}' is not a supported model: send {ModelFormats.Description} files."));
            return;
        }

        var stored = await store.SaveAsync(section.Body, cancellationToken);
        if (stored.SizeBytes == 0)
        {
            Errors.Add(new FieldError("model.empty", $"The model '{fileName}' is empty."));
            return;
        }

        Models.Add(new UploadedModel(fileName, stored.Sha256, stored.SizeBytes));
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

internal static class ModelFormats
{
    private static readonly string[] Extensions = [".stl", ".obj", ".3mf"];

    public const string Description = "STL, OBJ or 3MF";

    public static bool IsSupported(string fileName) =>
        Extensions.Contains(Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase);
}
