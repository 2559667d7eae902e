using System.Text.Json;
using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Shipping;

namespace PrintFlow.Partners.Endpoints;

/// <summary>A <c>shippingAddress</c> object as partners send it, checked by the rules every channel shares.</summary>
internal static class AddressJson
{
    public const string MalformedCode = "address.malformed";
    public const string MalformedDetail =
        "shippingAddress must be a JSON object whose recipient, line1, line2, city, region, postalCode, country and phone are strings. " +
        "shippingAddress должен быть объектом JSON со строковыми полями recipient, line1, line2, city, region, postalCode, country и phone.";

    /// <returns>The address, or the problems (a malformed object is one problem with <see cref="MalformedCode"/>).</returns>
    public static (ShippingAddress? Address, List<FieldError> Errors) Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (Read(utf8Json) is not { } input)
        {
            return (null, [new FieldError(MalformedCode, MalformedDetail)]);
        }

        var (address, problems) = ShippingAddressRules.Validate(input);
        return (address, [.. problems.Select(p => new FieldError(p.Code, $"shippingAddress.{p.Field}: {p.Sentence}"))]);
    }

    private static AddressInput? Read(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 4 });
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        values[property.Name] = property.Value.GetString();
                        break;
                    case JsonValueKind.Null:
                        values[property.Name] = null;
                        break;
                    default:
                        return null;
                }
            }

            string? Get(string name) => values.GetValueOrDefault(name);
            return new AddressInput(Get(ShippingAddressRules.Fields.Recipient), Get(ShippingAddressRules.Fields.Line1), Get(ShippingAddressRules.Fields.Line2),
                Get(ShippingAddressRules.Fields.City), Get(ShippingAddressRules.Fields.Region), Get(ShippingAddressRules.Fields.PostalCode),
                Get(ShippingAddressRules.Fields.Country), Get(ShippingAddressRules.Fields.Phone));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
