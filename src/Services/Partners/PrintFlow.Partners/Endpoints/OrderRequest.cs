using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PrintFlow.Contracts;

namespace PrintFlow.Partners.Endpoints;

/// <summary>A valid order request: what the form said, checked and normalized.</summary>
internal sealed record OrderRequest(
    IReadOnlyList<UploadedModel> Models,
    string Material,
    int Quantity,
    LeadTime LeadTime,
    DateTimeOffset? DueDate,
    string? Reference,
    ShippingAddress? ShipTo)
{
    public const string ShippingAddressField = "shippingAddress";

    public static readonly string[] Materials = ["PLA", "PETG", "ABS", "Resin"];
    public const int MaxQuantity = 10_000;
    public const int MaxReferenceLength = 100;

    public static (OrderRequest? Request, List<FieldError> Errors) From(OrderForm form, DateTimeOffset now)
    {
        var errors = new List<FieldError>(form.Errors);
        if (form.Models.Count == 0 && !errors.Any(e => e.Code.StartsWith("model.", StringComparison.Ordinal)))
        {
            errors.Add(new FieldError("model.missing", PartnersStrings.Get("Field.model.missing")));
        }

        var materialText = Field(form, "material");
        var material = Materials.FirstOrDefault(m => m.Equals(materialText, StringComparison.OrdinalIgnoreCase));
        if (material is null)
        {
            errors.Add(materialText is null
                ? new FieldError("material.missing", PartnersStrings.Get("Field.material.missing", string.Join(", ", Materials)))
                : new FieldError("material.invalid", PartnersStrings.Get("Field.material.invalid", materialText, string.Join(", ", Materials))));
        }

        var quantityText = Field(form, "quantity");
        var quantityOk = int.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity)
            && quantity is >= 1 and <= MaxQuantity;
        if (!quantityOk)
        {
            errors.Add(new FieldError("quantity.invalid", PartnersStrings.Get("Field.quantity.invalid", MaxQuantity)));
        }

        var leadTime = LeadTime.Standard;
        if (Field(form, "leadTime") is { } leadTimeText)
        {
            // Names only: Enum.TryParse would also accept numbers.
            var match = Enum.GetValues<LeadTime>().Cast<LeadTime?>()
                .FirstOrDefault(l => l.ToString()!.Equals(leadTimeText, StringComparison.OrdinalIgnoreCase));
            if (match is { } chosen)
            {
                leadTime = chosen;
            }
            else
            {
                errors.Add(new FieldError("lead-time.invalid", PartnersStrings.Get("Field.lead-time.invalid")));
            }
        }

        DateTimeOffset? dueDate = null;
        if (Field(form, "dueDate") is { } dueText)
        {
            if (!DateTimeOffset.TryParse(dueText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                errors.Add(new FieldError("due-date.invalid", PartnersStrings.Get("Field.due-date.invalid")));
            }
            else if (parsed.UtcDateTime.Date < now.UtcDateTime.Date)
            {
                errors.Add(new FieldError("due-date.in-past", PartnersStrings.Get("Field.due-date.in-past")));
            }
            else
            {
                dueDate = parsed;
            }
        }

        var reference = Field(form, "reference");
        if (reference is { Length: > MaxReferenceLength })
        {
            errors.Add(new FieldError("reference.too-long", PartnersStrings.Get("Field.reference.too-long", MaxReferenceLength)));
        }

        ShippingAddress? shipTo = null;
        if (Field(form, ShippingAddressField) is { } addressJson)
        {
            var (address, addressErrors) = AddressJson.Parse(Encoding.UTF8.GetBytes(addressJson));
            errors.AddRange(addressErrors);
            shipTo = address;
        }

        return errors.Count > 0
            ? (null, errors)
            : (new OrderRequest(form.Models, material!, quantity, leadTime, dueDate, reference, shipTo), errors);
    }

    /// <summary>A hash of everything that makes the request what it is, to tell a retry from a different request.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder()
            .Append("material=").Append(Material).Append('\n')
            .Append("quantity=").Append(Quantity.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("leadTime=").Append(LeadTime).Append('\n')
            .Append("dueDate=").Append(DueDate?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("reference=").Append(Reference).Append('\n')
            .Append("shipTo=").Append(ShipTo is null ? "" : System.Text.Json.JsonSerializer.Serialize(ShipTo)).Append('\n');
        foreach (var model in Models)
        {
            text.Append("model=").Append(model.Sha256).Append(' ').Append(model.FileName).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string? Field(OrderForm form, string name) =>
        form.Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
